package io.cadenza.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every setting of a Cadenza node, validated. Built once at start by {@link SettingsLoader}; the
 * composition root hands each component the part it needs. {@code hocon} is the merged
 * configuration for libraries configured in HOCON themselves (Akka).
 */
public record CadenzaSettings(
    Node node,
    Http http,
    Cql cql,
    Kafka kafka,
    Redis redis,
    Cluster cluster,
    Auth auth,
    Edge edge,
    Health health,
    Media media,
    Search search,
    Session session,
    Connect connect,
    Listening listening,
    com.typesafe.config.Config hocon) {

  /** Identity and life-cycle budgets of this node. */
  public record Node(String name, Duration startupTimeout, Duration shutdownTimeout) {}

  /** The HTTP and WebSocket listener. */
  /**
   * The HTTP edge: where it listens, how clients reach it, and how many edge verticle instances
   * (each on its own event loop) serve it.
   */
  public record Http(String host, int port, String publicUrl, int instances) {}

  /** ScyllaDB (CQL) connection and keyspace. */
  public record Cql(
      List<HostPort> contactPoints,
      String localDatacenter,
      String keyspace,
      Replication replication,
      Duration requestTimeout,
      Duration schemaChangeTimeout) {}

  /** Keyspace replication, rendered as the CQL replication map. */
  public record Replication(
      String strategy, int replicationFactor, List<DatacenterFactor> datacenters) {

    public String toCql() {
      if ("SimpleStrategy".equals(strategy)) {
        return "{'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}";
      }
      return datacenters.stream()
          .map(dc -> "'" + dc.datacenter() + "': " + dc.replicationFactor())
          .collect(Collectors.joining(", ", "{'class': 'NetworkTopologyStrategy', ", "}"));
    }
  }

  /** One data centre's replication factor for NetworkTopologyStrategy. */
  public record DatacenterFactor(String datacenter, int replicationFactor) {}

  /** Kafka brokers and the topics this node needs. */
  public record Kafka(
      List<HostPort> bootstrapServers,
      short replicationFactor,
      Duration requestTimeout,
      List<TopicSpec> topics) {

    public String bootstrapServersString() {
      return bootstrapServers.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }
  }

  /** A Kafka topic and its partition count. */
  public record TopicSpec(String name, int partitions) {}

  /** Redis, as a redis:// URL. */
  public record Redis(URI url, int maxPoolSize, int maxPoolWaiting) {}

  /** Clustering: Hazelcast (Vert.x cluster manager and event bus) and the Akka session cluster. */
  public record Cluster(Hazelcast hazelcast, EventBus eventBus, Akka akka) {}

  /** Hazelcast member settings: tcp-ip discovery only. */
  public record Hazelcast(String clusterName, String host, int port, List<String> members) {}

  /** The clustered event bus listener. */
  public record EventBus(String host, int port) {}

  /**
   * Akka Artery address and seed nodes, and how long the split-brain resolver waits for the
   * membership to be stable before it downs unreachable members ({@code stable-after}; also the
   * margin sharding waits before it moves the shards of a removed member).
   */
  public record Akka(String host, int port, List<String> seedNodes, Duration stableAfter) {}

  /** Accounts and tokens. */
  public record Auth(
      String issuer,
      List<SigningKey> signingKeys,
      Duration accessTokenTtl,
      Duration refreshTokenTtl,
      Duration authorizationCodeTtl,
      Duration deviceCodeTtl,
      Duration devicePollInterval,
      String firstPartyClientId,
      String adminToken,
      PasswordHash passwordHash) {

    /** Whether the admin API is on. */
    public boolean adminEnabled() {
      return !adminToken.isEmpty();
    }
  }

  /** An HS256 key with its id ({@code kid}); the secret is at least 32 bytes. */
  public record SigningKey(String id, byte[] secret) {
    @Override
    public String toString() {
      return "SigningKey[" + id + "]";
    }
  }

  /** Argon2id cost parameters. */
  public record PasswordHash(int memoryKib, int iterations, int parallelism) {}

  /** HTTP edge policies. */
  public record Edge(
      long bodyLimitBytes,
      List<String> corsAllowedOrigins,
      Bucket perUser,
      Bucket perClient,
      Bucket perAddress) {}

  /** A token bucket: {@code capacity} tokens, refilled at {@code refillPerSecond}. */
  public record Bucket(int capacity, double refillPerSecond) {}

  /** Readiness checks. */
  public record Health(Duration checkTimeout) {}

  /**
   * Media: where renditions are stored, how many transcodes run at once and how many may wait (more
   * get 429), the HLS segment length, the loudness target of the stored normalisation gain, how
   * long a signed media URL lives, the ffmpeg and ffprobe executables, and delivery's memory cache:
   * its size in bytes (0 = off) and the largest file it keeps.
   */
  public record Media(
      java.nio.file.Path storeDir,
      int maxConcurrentTranscodes,
      int transcodeQueue,
      Duration segmentDuration,
      double loudnessTargetLufs,
      Duration urlTtl,
      String ffmpeg,
      String ffprobe,
      long memoryCache,
      long memoryCacheMaxFile) {}

  /**
   * Search: the folder under which each node keeps its search index (in a sub-folder named after
   * the node, wiped at start because the index is rebuilt from the catalog at every start), how
   * many table scans the rebuild keeps in flight, and how many searches may run or wait for a
   * worker at once on a node (more get 503 at once).
   */
  public record Search(java.nio.file.Path indexDir, int rebuildScans, int maxInFlight) {}

  /**
   * The users' playback sessions: how long a device may stay silent before it goes offline, how
   * long a transfer waits for the target's confirmation, how often a session checks both, how long
   * a session stays in memory without messages, and how long the edge waits for a session's answer
   * (longer is a 503).
   */
  public record Session(
      Duration deviceTimeout,
      Duration transferTimeout,
      Duration tickInterval,
      Duration passivateAfter,
      Duration askTimeout) {}

  /**
   * The bounds of one device socket of the WebSocket gateway.
   *
   * @param maxFrameBytes the largest message a device may send (larger: close 1009)
   * @param helloTimeout how long a new socket may take to send {@code hello}
   * @param pingInterval how often the server pings a socket and reports the device's heartbeat
   * @param silentTimeout a device not heard of (frames or pongs) for longer is closed (4002)
   * @param maxBadFrames bad frames answered with error frames before the socket is closed (4000)
   * @param framesPerSecond the sustained frame rate a device may send
   * @param frameBurst the burst above it; twice the burst over it closes the socket (4029)
   * @param writeQueueBytes bytes waiting to be written before a socket counts as slow
   * @param slowCloseAfter how long a socket may stay slow before it is closed (4008)
   */
  public record Connect(
      int maxFrameBytes,
      Duration helloTimeout,
      Duration pingInterval,
      Duration silentTimeout,
      int maxBadFrames,
      int framesPerSecond,
      int frameBurst,
      int writeQueueBytes,
      Duration slowCloseAfter) {}

  /**
   * The listening log: the Kafka topic of listening events and its dead-letter topic, the sink's
   * consumer group, how many sink consumers this node runs (0: another process consumes) and how
   * many writes each keeps in flight, how long a play must last to count (charts, top items,
   * recently played), and the largest batch of offline plays one request may report.
   */
  public record Listening(
      String topic,
      String deadLetterTopic,
      String consumerGroup,
      int sinkInstances,
      int maxInFlight,
      Duration countAfter,
      int maxBatch) {}
}
