package io.cadenza.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Loads and validates {@link CadenzaSettings}. Layers, each overriding the one before: the defaults
 * in {@code reference.conf} (and Akka's own), the Akka settings in {@code cadenza-akka.conf}, an
 * {@code application.conf} or {@code -Dconfig.file}, the {@code CADENZA_*} environment variables of
 * {@code cadenza-env.conf}, and system properties.
 */
public final class SettingsLoader {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern CQL_IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,47}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9a-fA-F:]+]");
  private static final Pattern PUBLIC_URL =
      Pattern.compile("https?://[A-Za-z0-9.\\[\\]:-]+(/[A-Za-z0-9._~%/-]*[A-Za-z0-9._~%-])?");
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Set<String> STRATEGIES = Set.of("SimpleStrategy", "NetworkTopologyStrategy");

  private SettingsLoader() {}

  /** Loads from the classpath, the environment and system properties. */
  public static CadenzaSettings load() {
    return load(System.getenv(), ConfigFactory.systemProperties());
  }

  /**
   * Loads with the given environment and system-property layers (tests pass their own).
   *
   * @throws InvalidSettingException naming the first key that breaks its rule
   */
  public static CadenzaSettings load(Map<String, String> environment, Config systemProperties) {
    ConfigFactory.invalidateCaches();
    Config envLayer = resolveAgainst(ConfigFactory.parseResources("cadenza-env.conf"), environment);
    Config merged =
        systemProperties
            .withFallback(envLayer)
            .withFallback(ConfigFactory.defaultApplication())
            .withFallback(ConfigFactory.parseResources("cadenza-akka.conf"))
            .withFallback(ConfigFactory.defaultReference());
    Config config;
    try {
      config = merged.resolve();
    } catch (ConfigException e) {
      throw new InvalidSettingException(pathOf(e), "must resolve", e.getMessage());
    }
    return from(config);
  }

  /** Validates an already merged configuration. */
  public static CadenzaSettings from(Config config) {
    Reader r = new Reader(config);
    var node =
        new CadenzaSettings.Node(
            r.matching("cadenza.node.name", NAME, "must be 1-64 letters, digits, '.', '_' or '-'"),
            r.duration(
                "cadenza.node.startup-timeout", Duration.ofSeconds(1), Duration.ofMinutes(30)),
            r.duration(
                "cadenza.node.shutdown-timeout", Duration.ofSeconds(1), Duration.ofMinutes(5)));
    String httpHost = r.host("cadenza.http.host");
    int httpPort = r.port("cadenza.http.port");
    String publicUrl =
        config.getString("cadenza.http.public-url").isBlank()
            ? defaultPublicUrl(httpHost, httpPort)
            : r.matching(
                "cadenza.http.public-url",
                PUBLIC_URL,
                "must be an http(s) URL without a trailing slash, e.g. https://music.example.com");
    int instances = r.intIn("cadenza.http.instances", 0, 256);
    var http =
        new CadenzaSettings.Http(
            httpHost,
            httpPort,
            publicUrl,
            instances == 0 ? Runtime.getRuntime().availableProcessors() : instances);
    var cql =
        new CadenzaSettings.Cql(
            r.hostPorts("cadenza.cql.contact-points"),
            r.nonBlank("cadenza.cql.local-datacenter"),
            r.matching(
                "cadenza.cql.keyspace",
                CQL_IDENTIFIER,
                "must be a lower-case CQL identifier of at most 48 characters"),
            replication(r),
            r.duration(
                "cadenza.cql.request-timeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
            r.duration(
                "cadenza.cql.schema-change-timeout",
                Duration.ofSeconds(1),
                Duration.ofMinutes(30)));
    var kafka =
        new CadenzaSettings.Kafka(
            r.hostPorts("cadenza.kafka.bootstrap-servers"),
            (short) r.intIn("cadenza.kafka.replication-factor", 1, Short.MAX_VALUE),
            r.duration(
                "cadenza.kafka.request-timeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
            topics(r, config));
    var redis =
        new CadenzaSettings.Redis(
            r.redisUrl("cadenza.redis.url"),
            r.intIn("cadenza.redis.max-pool-size", 1, 1024),
            r.intIn("cadenza.redis.max-pool-waiting", 0, 100_000));
    var cluster =
        new CadenzaSettings.Cluster(
            new CadenzaSettings.Hazelcast(
                r.matching(
                    "cadenza.cluster.hazelcast.cluster-name",
                    NAME,
                    "must be 1-64 letters, digits, '.', '_' or '-'"),
                r.host("cadenza.cluster.hazelcast.host"),
                r.port("cadenza.cluster.hazelcast.port"),
                r.list("cadenza.cluster.hazelcast.members", 1, r::hostOrHostPort)),
            new CadenzaSettings.EventBus(
                r.host("cadenza.cluster.event-bus.host"), r.port("cadenza.cluster.event-bus.port")),
            new CadenzaSettings.Akka(
                r.host("cadenza.cluster.akka.host"),
                r.port("cadenza.cluster.akka.port"),
                r.list("cadenza.cluster.akka.seed-nodes", 0, r::akkaAddress),
                r.duration(
                    "cadenza.cluster.akka.stable-after",
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(5))));
    akkaLease(r);
    var auth = auth(r);
    var edge =
        new CadenzaSettings.Edge(
            r.bytes("cadenza.edge.body-limit", 1024, 64L * 1024 * 1024),
            r.list("cadenza.edge.cors-allowed-origins", 0, SettingsLoader::origin),
            bucket(r, "cadenza.edge.rate-limit.per-user"),
            bucket(r, "cadenza.edge.rate-limit.per-client"),
            bucket(r, "cadenza.edge.rate-limit.per-address"));
    var health =
        new CadenzaSettings.Health(
            r.duration(
                "cadenza.health.check-timeout", Duration.ofMillis(50), Duration.ofMinutes(1)));
    var media =
        new CadenzaSettings.Media(
            java.nio.file.Path.of(r.nonBlank("cadenza.media.store-dir")).toAbsolutePath(),
            r.intIn("cadenza.media.max-concurrent-transcodes", 1, 64),
            r.intIn("cadenza.media.transcode-queue", 0, 100_000),
            r.duration(
                "cadenza.media.segment-duration", Duration.ofSeconds(4), Duration.ofSeconds(6)),
            r.intIn("cadenza.media.loudness-target-lufs", -40, -5),
            r.duration("cadenza.media.url-ttl", Duration.ofSeconds(10), Duration.ofHours(24)),
            r.nonBlank("cadenza.media.ffmpeg"),
            r.nonBlank("cadenza.media.ffprobe"),
            r.bytes("cadenza.media.memory-cache", 0, 64L * 1024 * 1024 * 1024),
            r.bytes("cadenza.media.memory-cache-max-file", 1024, 64L * 1024 * 1024));
    var search =
        new CadenzaSettings.Search(
            java.nio.file.Path.of(r.nonBlank("cadenza.search.index-dir")).toAbsolutePath(),
            r.intIn("cadenza.search.rebuild-scans", 1, 64),
            r.intIn("cadenza.search.max-in-flight", 1, 100_000));
    var session = session(r);
    var connect = connect(r);
    var listening = listening(r);
    return new CadenzaSettings(
        node, http, cql, kafka, redis, cluster, auth, edge, health, media, search, session, connect,
        listening, config);
  }

  /**
   * Validates the split-brain resolver's lease timings. Akka reads them itself (through {@code
   * cadenza.cql-lease} and {@code lease-majority} in {@code cadenza-akka.conf}), so they are only
   * checked here, to stop start-up with a message naming the key.
   */
  private static void akkaLease(Reader r) {
    String prefix = "cadenza.cluster.akka.lease.";
    Duration timeout =
        r.duration(prefix + "heartbeat-timeout", Duration.ofSeconds(3), Duration.ofMinutes(10));
    if (timeout.toMillis() % 1000 != 0) {
      throw new InvalidSettingException(
          prefix + "heartbeat-timeout",
          "must be whole seconds (it is the lease row's CQL TTL)",
          r.rawOf(prefix + "heartbeat-timeout"));
    }
    Duration interval =
        r.duration(prefix + "heartbeat-interval", Duration.ofMillis(100), Duration.ofMinutes(3));
    if (interval.multipliedBy(3).compareTo(timeout) > 0) {
      throw new InvalidSettingException(
          prefix + "heartbeat-interval",
          "must be at most a third of " + prefix + "heartbeat-timeout (" + timeout + ")",
          r.rawOf(prefix + "heartbeat-interval"));
    }
    Duration operation =
        r.duration(prefix + "operation-timeout", Duration.ofMillis(100), Duration.ofMinutes(1));
    if (operation.compareTo(interval) > 0) {
      throw new InvalidSettingException(
          prefix + "operation-timeout",
          "must not be longer than " + prefix + "heartbeat-interval (" + interval + ")",
          r.rawOf(prefix + "operation-timeout"));
    }
    r.duration(prefix + "acquire-delay-for-minority", Duration.ZERO, Duration.ofMinutes(1));
    r.duration(prefix + "release-after", Duration.ofSeconds(1), Duration.ofMinutes(10));
  }

  private static CadenzaSettings.Connect connect(Reader r) {
    Duration ping =
        r.duration("cadenza.connect.ping-interval", Duration.ofMillis(100), Duration.ofMinutes(5));
    Duration silent =
        r.duration("cadenza.connect.silent-timeout", Duration.ofMillis(200), Duration.ofHours(1));
    if (silent.compareTo(ping) <= 0) {
      throw new InvalidSettingException(
          "cadenza.connect.silent-timeout",
          "must be longer than cadenza.connect.ping-interval (" + ping + ")",
          r.rawOf("cadenza.connect.silent-timeout"));
    }
    return new CadenzaSettings.Connect(
        (int) r.bytes("cadenza.connect.max-frame-bytes", 1024, 1024 * 1024),
        r.duration("cadenza.connect.hello-timeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
        ping,
        silent,
        r.intIn("cadenza.connect.max-bad-frames", 0, 10_000),
        r.intIn("cadenza.connect.frames-per-second", 1, 100_000),
        r.intIn("cadenza.connect.frame-burst", 1, 100_000),
        (int) r.bytes("cadenza.connect.write-queue-bytes", 1024, 64L * 1024 * 1024),
        r.duration(
            "cadenza.connect.slow-close-after", Duration.ofMillis(100), Duration.ofMinutes(10)));
  }

  private static CadenzaSettings.Session session(Reader r) {
    Duration tick =
        r.duration("cadenza.session.tick-interval", Duration.ofMillis(50), Duration.ofMinutes(1));
    Duration deviceTimeout =
        r.duration("cadenza.session.device-timeout", Duration.ofSeconds(1), Duration.ofHours(1));
    if (deviceTimeout.compareTo(tick) < 0) {
      throw new InvalidSettingException(
          "cadenza.session.device-timeout",
          "must not be shorter than cadenza.session.tick-interval (" + tick + ")",
          r.rawOf("cadenza.session.device-timeout"));
    }
    Duration passivateAfter =
        r.duration("cadenza.session.passivate-after", Duration.ofSeconds(1), Duration.ofDays(1));
    if (passivateAfter.compareTo(tick) < 0) {
      throw new InvalidSettingException(
          "cadenza.session.passivate-after",
          "must not be shorter than cadenza.session.tick-interval (" + tick + ")",
          r.rawOf("cadenza.session.passivate-after"));
    }
    return new CadenzaSettings.Session(
        deviceTimeout,
        r.duration(
            "cadenza.session.transfer-timeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
        tick,
        passivateAfter,
        r.duration("cadenza.session.ask-timeout", Duration.ofMillis(100), Duration.ofMinutes(1)));
  }

  private static CadenzaSettings.Listening listening(Reader r) {
    String topicRule = "must be 1-249 letters, digits, '.', '_' or '-' (a Kafka topic name)";
    String topic = r.matching("cadenza.listening.topic", TOPIC, topicRule);
    String deadLetters = r.matching("cadenza.listening.dead-letter-topic", TOPIC, topicRule);
    if (topic.equals(deadLetters)) {
      throw new InvalidSettingException(
          "cadenza.listening.dead-letter-topic", "must differ from cadenza.listening.topic", topic);
    }
    return new CadenzaSettings.Listening(
        topic,
        deadLetters,
        r.matching("cadenza.listening.consumer-group", TOPIC, topicRule),
        r.intIn("cadenza.listening.sink-instances", 0, 64),
        r.intIn("cadenza.listening.max-in-flight", 1, 100_000),
        r.duration("cadenza.listening.count-after", Duration.ZERO, Duration.ofMinutes(10)),
        r.intIn("cadenza.listening.max-batch", 1, 10_000));
  }

  private static CadenzaSettings.Auth auth(Reader r) {
    String keysKey = "cadenza.auth.signing-keys";
    String keyRule =
        "must list id:secret keys, the secret base64 of at least 32 random bytes"
            + " (./cadenza generates one)";
    List<CadenzaSettings.SigningKey> keys =
        r.list(
            keysKey,
            0,
            item -> {
              int colon = item.indexOf(':');
              String id = colon > 0 ? item.substring(0, colon) : "";
              if (!KEY_ID.matcher(id).matches()) {
                throw new InvalidSettingException(keysKey, keyRule, "(a key without a valid id)");
              }
              byte[] secret;
              try {
                secret = java.util.Base64.getDecoder().decode(item.substring(colon + 1).strip());
              } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(keysKey, keyRule, "(key " + id + ": not base64)");
              }
              if (secret.length < 32) {
                throw new InvalidSettingException(
                    keysKey, keyRule, "(key " + id + ": " + secret.length + " bytes)");
              }
              return new CadenzaSettings.SigningKey(id, secret);
            });
    if (keys.isEmpty()) {
      // The value is a secret: never echo it.
      throw new InvalidSettingException(keysKey, keyRule, "(none)");
    }
    if (keys.stream().map(CadenzaSettings.SigningKey::id).distinct().count() != keys.size()) {
      throw new InvalidSettingException(keysKey, "must not repeat a key id", "(repeated id)");
    }
    String adminKey = "cadenza.auth.admin-token";
    String admin = r.rawOf(adminKey) == null ? "" : r.string(adminKey).strip();
    if (!admin.isEmpty() && admin.length() < 24) {
      throw new InvalidSettingException(
          adminKey, "must be empty (admin API off) or at least 24 characters", "(too short)");
    }
    return new CadenzaSettings.Auth(
        r.matching("cadenza.auth.issuer", NAME, "must be 1-64 letters, digits, '.', '_' or '-'"),
        List.copyOf(keys),
        r.duration("cadenza.auth.access-token-ttl", Duration.ofMinutes(1), Duration.ofDays(1)),
        r.duration("cadenza.auth.refresh-token-ttl", Duration.ofHours(1), Duration.ofDays(366)),
        r.duration(
            "cadenza.auth.authorization-code-ttl", Duration.ofSeconds(10), Duration.ofMinutes(10)),
        r.duration("cadenza.auth.device-code-ttl", Duration.ofSeconds(5), Duration.ofHours(1)),
        r.duration(
            "cadenza.auth.device-poll-interval", Duration.ofMillis(100), Duration.ofMinutes(1)),
        r.matching(
            "cadenza.auth.first-party-client-id",
            CLIENT_ID,
            "must be 1-64 letters, digits, '_' or '-'"),
        admin,
        new CadenzaSettings.PasswordHash(
            (int)
                (r.bytes("cadenza.auth.password-hash.memory", 8 * 1024, 1024L * 1024 * 1024)
                    / 1024),
            r.intIn("cadenza.auth.password-hash.iterations", 1, 100),
            r.intIn("cadenza.auth.password-hash.parallelism", 1, 64)));
  }

  private static CadenzaSettings.Bucket bucket(Reader r, String prefix) {
    int capacity = r.intIn(prefix + ".capacity", 1, 10_000_000);
    String key = prefix + ".refill-per-second";
    String text = r.string(key).strip();
    try {
      double refill = Double.parseDouble(text);
      if (!(refill > 0 && refill <= 10_000_000)) {
        throw new NumberFormatException(text);
      }
      return new CadenzaSettings.Bucket(capacity, refill);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "must be a number above 0", text);
    }
  }

  private static String origin(String item) {
    String key = "cadenza.edge.cors-allowed-origins";
    String rule =
        "must list web origins like https://app.example.com (scheme, host, optional port)";
    try {
      URI uri = new URI(item);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null) {
        throw new InvalidSettingException(key, rule, item);
      }
      return item;
    } catch (URISyntaxException e) {
      throw new InvalidSettingException(key, rule, item);
    }
  }

  private static CadenzaSettings.Replication replication(Reader r) {
    String strategyKey = "cadenza.cql.replication.strategy";
    String strategy = r.nonBlank(strategyKey);
    if (!STRATEGIES.contains(strategy)) {
      throw new InvalidSettingException(
          strategyKey, "must be SimpleStrategy or NetworkTopologyStrategy", strategy);
    }
    int factor = r.intIn("cadenza.cql.replication.replication-factor", 1, 100);
    String dcKey = "cadenza.cql.replication.datacenters";
    List<CadenzaSettings.DatacenterFactor> dcs =
        r.list(
            dcKey,
            0,
            item -> {
              String[] parts = item.split(":", -1);
              if (parts.length != 2 || parts[0].isBlank()) {
                throw new InvalidSettingException(dcKey, "must be a list of name:factor", item);
              }
              return new CadenzaSettings.DatacenterFactor(
                  parts[0].strip(), Reader.parseIntIn(dcKey, parts[1].strip(), 1, 100));
            });
    if (strategy.equals("NetworkTopologyStrategy") && dcs.isEmpty()) {
      throw new InvalidSettingException(
          dcKey, "must name at least one data centre (dc1:3) for NetworkTopologyStrategy", "");
    }
    return new CadenzaSettings.Replication(strategy, factor, dcs);
  }

  private static List<CadenzaSettings.TopicSpec> topics(Reader r, Config config) {
    String key = "cadenza.kafka.topics";
    List<? extends Config> items;
    try {
      items = config.getConfigList(key);
    } catch (ConfigException e) {
      throw new InvalidSettingException(key, "must be a list of {name, partitions}", r.rawOf(key));
    }
    List<CadenzaSettings.TopicSpec> topics = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Reader item = new Reader(items.get(i), key + "." + i + ".");
      topics.add(
          new CadenzaSettings.TopicSpec(
              item.matching("name", TOPIC, "must be a Kafka topic name"),
              item.intIn("partitions", 1, 10_000)));
    }
    if (topics.stream().map(CadenzaSettings.TopicSpec::name).distinct().count() != topics.size()) {
      throw new InvalidSettingException(key, "must not name a topic twice", r.rawOf(key));
    }
    return List.copyOf(topics);
  }

  private static Config resolveAgainst(Config layer, Map<String, String> environment) {
    Config env = ConfigFactory.parseMap(cadenzaVariables(environment), "environment variables");
    return layer
        .resolveWith(
            env, com.typesafe.config.ConfigResolveOptions.defaults().setUseSystemEnvironment(false))
        .withOnlyPath("cadenza");
  }

  private static Map<String, String> cadenzaVariables(Map<String, String> environment) {
    return environment.entrySet().stream()
        .filter(e -> e.getKey().startsWith("CADENZA_"))
        .collect(java.util.stream.Collectors.toMap(e -> e.getKey(), Map.Entry::getValue));
  }

  private static String pathOf(ConfigException e) {
    String message = e.getMessage();
    int at = message.indexOf("${");
    if (at >= 0) {
      int end = message.indexOf('}', at);
      if (end > at) {
        return message.substring(at + 2, end);
      }
    }
    return "configuration";
  }

  /** Typed reads with one rule each; every failure names its key. */
  /** http://host:port of this node, with a wildcard host read as the loopback address. */
  static String defaultPublicUrl(String host, int port) {
    String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    if (reachable.contains(":")) {
      reachable = "[" + reachable + "]";
    }
    return "http://" + reachable + ":" + port;
  }

  private static final class Reader {
    private final Config config;
    private final String prefix;

    Reader(Config config) {
      this(config, "");
    }

    Reader(Config config, String prefix) {
      this.config = config;
      this.prefix = prefix;
    }

    Object rawOf(String key) {
      if (!config.hasPathOrNull(key) || config.getIsNull(key)) {
        return null;
      }
      ConfigValue value = config.getValue(key);
      return value.valueType() == ConfigValueType.STRING
          ? value.unwrapped()
          : value.render(com.typesafe.config.ConfigRenderOptions.concise());
    }

    private String full(String key) {
      return prefix + key;
    }

    String string(String key) {
      Object raw = rawOf(key);
      if (raw == null) {
        throw new InvalidSettingException(full(key), "is required", null);
      }
      ConfigValue value = config.getValue(key);
      if (value.valueType() == ConfigValueType.OBJECT
          || value.valueType() == ConfigValueType.LIST) {
        throw new InvalidSettingException(full(key), "must be a single value", raw);
      }
      return String.valueOf(value.unwrapped());
    }

    String nonBlank(String key) {
      String value = string(key).strip();
      if (value.isEmpty()) {
        throw new InvalidSettingException(full(key), "must not be empty", value);
      }
      return value;
    }

    String matching(String key, Pattern pattern, String rule) {
      String value = string(key).strip();
      if (!pattern.matcher(value).matches()) {
        throw new InvalidSettingException(full(key), rule, value);
      }
      return value;
    }

    String host(String key) {
      return matching(key, HOST, "must be a host name or IP address");
    }

    int port(String key) {
      return intIn(key, 0, 65535);
    }

    int intIn(String key, int min, int max) {
      return parseIntIn(full(key), string(key).strip(), min, max);
    }

    static int parseIntIn(String key, String text, int min, int max) {
      String rule = "must be a whole number from " + min + " to " + max;
      try {
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
          throw new InvalidSettingException(key, rule, text);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new InvalidSettingException(key, rule, text);
      }
    }

    Duration duration(String key, Duration min, Duration max) {
      String rule = "must be a duration from " + human(min) + " to " + human(max) + " (e.g. 10s)";
      Duration value;
      try {
        value = config.getDuration(key);
      } catch (ConfigException.Missing e) {
        throw new InvalidSettingException(full(key), "is required", null);
      } catch (ConfigException e) {
        throw new InvalidSettingException(full(key), rule, rawOf(key));
      }
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new InvalidSettingException(full(key), rule, rawOf(key));
      }
      return value;
    }

    long bytes(String key, long min, long max) {
      String rule = "must be a size from " + min + " to " + max + " bytes (e.g. 64KiB)";
      long value;
      try {
        value = config.getBytes(key);
      } catch (ConfigException.Missing e) {
        throw new InvalidSettingException(full(key), "is required", null);
      } catch (ConfigException e) {
        throw new InvalidSettingException(full(key), rule, rawOf(key));
      }
      if (value < min || value > max) {
        throw new InvalidSettingException(full(key), rule, rawOf(key));
      }
      return value;
    }

    <T> List<T> list(String key, int minItems, Function<String, T> parseItem) {
      List<T> items =
          Arrays.stream(string(key).split(","))
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .map(parseItem)
              .toList();
      if (items.size() < minItems) {
        throw new InvalidSettingException(
            full(key), "must list at least " + minItems + " comma-separated item(s)", rawOf(key));
      }
      return items;
    }

    List<HostPort> hostPorts(String key) {
      return list(key, 1, item -> hostPort(key, item));
    }

    private HostPort hostPort(String key, String item) {
      String rule = "must be a comma-separated list of host:port";
      int colon = item.lastIndexOf(':');
      if (colon <= 0 || !HOST.matcher(item.substring(0, colon)).matches()) {
        throw new InvalidSettingException(full(key), rule, item);
      }
      int port = parseIntIn(full(key), item.substring(colon + 1), 1, 65535);
      return new HostPort(item.substring(0, colon), port);
    }

    String hostOrHostPort(String item) {
      String key = "cadenza.cluster.hazelcast.members";
      if (item.contains(":") && !item.startsWith("[")) {
        hostPort(key, item);
      } else if (!HOST.matcher(item).matches()) {
        throw new InvalidSettingException(full(key), "must list host or host:port items", item);
      }
      return item;
    }

    String akkaAddress(String item) {
      String key = "cadenza.cluster.akka.seed-nodes";
      String rule = "must list Akka addresses like akka://cadenza@127.0.0.1:25520";
      if (!item.startsWith("akka://")) {
        throw new InvalidSettingException(full(key), rule, item);
      }
      String rest = item.substring("akka://".length());
      int at = rest.indexOf('@');
      if (at <= 0) {
        throw new InvalidSettingException(full(key), rule, item);
      }
      hostPort(key, rest.substring(at + 1));
      return item;
    }

    URI redisUrl(String key) {
      String text = nonBlank(key);
      String rule = "must be a redis:// or rediss:// URL with host and port";
      try {
        URI uri = new URI(text);
        if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))
            || uri.getHost() == null
            || uri.getPort() <= 0) {
          throw new InvalidSettingException(full(key), rule, text);
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new InvalidSettingException(full(key), rule, text);
      }
    }

    private static String human(Duration d) {
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
  }
}
