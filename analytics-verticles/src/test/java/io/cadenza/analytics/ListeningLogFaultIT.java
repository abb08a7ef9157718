package io.cadenza.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.ConfigFactory;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.SettingsLoader;
import io.cadenza.config.cql.CqlMigrations;
import io.cadenza.config.cql.CqlSessions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening log's acceptance under faults: while 100,000 events are produced, the sink process
 * is killed with SIGKILL and started again, or Kafka is restarted; afterwards the table holds
 * exactly the produced events, checked by count and by event id. Each test has its own keyspace,
 * topics and consumer group; the sink runs as {@link SinkMain} in a JVM of its own.
 */
class ListeningLogFaultIT {

  private static final Logger LOG = LoggerFactory.getLogger(ListeningLogFaultIT.class);
  private static final int EVENTS = 100_000;
  private static final int USERS = 300;

  /** The producer's pace: the faults must strike while it still sends. */
  private static final int EVENTS_PER_SECOND = 4_000;

  private static final Duration RECOVERY = Duration.ofMinutes(4);
  private static final Pattern STOPPED =
      Pattern.compile("Listening sink \\S+ stopped: (\\d+) events written, (\\d+) dead-lettered");

  /** One keyspace for the class (its migrations take long on a small machine), emptied per test. */
  private static final String KEYSPACE =
      "it_listen_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  private static CqlSession cql;

  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final Map<String, String> env = new HashMap<>(System.getenv());
  private CadenzaSettings settings;
  private Admin admin;
  private final List<Process> children = new ArrayList<>();

  @BeforeAll
  static void createKeyspace() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CADENZA_CQL_KEYSPACE", KEYSPACE);
    CadenzaSettings settings = SettingsLoader.load(env, ConfigFactory.empty());
    cql = CqlSessions.builder(settings.cql(), "fault-test").build();
    new CqlMigrations(cql, settings.cql())
        .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN));
  }

  @AfterAll
  static void dropKeyspace() {
    if (cql != null) {
      cql.execute(
          SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + KEYSPACE)
              .setTimeout(Duration.ofSeconds(60)));
      cql.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    for (String table : List.of("listening_log", "daily_plays")) {
      cql.execute(
          SimpleStatement.newInstance("TRUNCATE " + KEYSPACE + "." + table)
              .setTimeout(Duration.ofSeconds(60)));
    }
    env.put("CADENZA_NODE_NAME", "fault-" + suffix);
    env.put("CADENZA_CQL_KEYSPACE", KEYSPACE);
    env.put("CADENZA_LISTENING_TOPIC", "it-listening-" + suffix);
    env.put("CADENZA_LISTENING_DLQ_TOPIC", "it-listening-dlq-" + suffix);
    env.put("CADENZA_LISTENING_GROUP", "it-listening-" + suffix);
    env.put("CADENZA_LISTENING_SINKS", "1");
    settings = SettingsLoader.load(env, ConfigFactory.empty());
    Properties config = new Properties();
    config.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
    admin = Admin.create(config);
    admin
        .createTopics(
            List.of(
                new NewTopic(settings.listening().topic(), 12, (short) 1),
                new NewTopic(settings.listening().deadLetterTopic(), 3, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process child : children) {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    try {
      admin
          .deleteTopics(
              List.of(settings.listening().topic(), settings.listening().deadLetterTopic()))
          .all()
          .get(30, TimeUnit.SECONDS);
      admin
          .deleteConsumerGroups(List.of(settings.listening().consumerGroup()))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Cleaning up Kafka failed: {}", e.toString());
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void aSinkKilledWhileEventsArriveLosesAndDuplicatesNone() throws Exception {
    Sink first = startSink("first");
    Production production = Production.start(settings, events());

    await("40,000 events produced and 10,000 committed by the first sink")
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> production.sent() >= 40_000 && committed() >= 10_000);
    long pid = first.process.pid();
    first.process.destroyForcibly();
    assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    // 128 + 9: the child died of SIGKILL, it did not exit on its own.
    assertThat(first.process.exitValue()).as("exit status of pid %d", pid).isEqualTo(137);
    long killedAt = System.nanoTime();
    long rowsAtKill = eventIds().size();
    long committedAtKill = committed();
    assertThat(production.sent()).as("the kill struck while producing").isLessThan(EVENTS);
    LOG.info(
        "Killed the sink (pid {}) with {} events acknowledged, {} rows written and {} offsets committed: {} written events"
            + " are uncommitted and will be replayed.",
        pid,
        production.sent(),
        rowsAtKill,
        committedAtKill,
        rowsAtKill - committedAtKill);

    Sink second = startSink("second");
    Set<UUID> produced = production.await(RECOVERY);
    Set<UUID> stored = awaitRows(EVENTS);
    Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
    long written = second.stop();

    assertTheLogHoldsExactly(produced, stored);
    LOG.info(
        "After the kill: complete {} ms after it; the second sink wrote {} events for {} missing:"
            + " {} replayed duplicates absorbed.",
        recovery.toMillis(),
        written,
        EVENTS - rowsAtKill,
        written - (EVENTS - rowsAtKill));
  }

  /**
   * The log holds every produced event once and nothing else: as many rows as events, the ids read
   * back are the produced ones, and nothing was dead-lettered.
   */
  private void assertTheLogHoldsExactly(Set<UUID> produced, Set<UUID> stored) throws Exception {
    assertThat(stored).hasSize(EVENTS);
    assertThat(countRows()).isEqualTo(EVENTS);
    assertThat(stored).isEqualTo(produced);
    assertThat(deadLetters()).as("dead letters").isZero();
  }

  @Test
  void aKafkaRestartWhileEventsArriveLosesAndDuplicatesNone() throws Exception {
    Sink sink = startSink("only");
    Production production = Production.start(settings, events());

    await("30,000 events produced and 10,000 committed by the sink")
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> production.sent() >= 30_000 && committed() >= 10_000);
    long sentBefore = production.sent();
    assertThat(sentBefore).as("the restart strikes while producing").isLessThan(EVENTS);
    long restartAt = System.nanoTime();
    restartKafka();
    Duration restart = Duration.ofNanos(System.nanoTime() - restartAt);

    Set<UUID> produced = production.await(RECOVERY);
    Set<UUID> stored = awaitRows(EVENTS);
    Duration recovery = Duration.ofNanos(System.nanoTime() - restartAt);
    long written = sink.stop();

    assertTheLogHoldsExactly(produced, stored);
    LOG.info(
        "Kafka restart began with {} events acknowledged and took {} ms; the table was complete {} ms after it began; the sink wrote {}"
            + " events: {} duplicates absorbed.",
        sentBefore,
        restart.toMillis(),
        recovery.toMillis(),
        written,
        written - EVENTS);
  }

  /** Events of a few hundred users over the last days, a third of them too short to count. */
  private static List<ListeningEvent> events() {
    Random random = new Random(7);
    Instant now = Instant.now();
    List<ListeningEvent> events = new ArrayList<>(EVENTS);
    for (int i = 0; i < EVENTS; i++) {
      long played =
          random.nextInt(3) == 0 ? random.nextInt(29_000) : 30_000 + random.nextInt(200_000);
      events.add(
          new ListeningEvent(
              UUID.randomUUID(),
              "user" + random.nextInt(USERS),
              "track" + random.nextInt(5_000),
              "device" + random.nextInt(3),
              null,
              now.minusSeconds(random.nextInt(10 * 24 * 3600)),
              played,
              "clickrow",
              "trackdone",
              false,
              false,
              now,
              "SE"));
    }
    return events;
  }

  /** The event ids in the table: a full scan, paged. */
  private Set<UUID> eventIds() {
    Set<UUID> ids = new HashSet<>();
    ResultSet rows =
        cql.execute(
            SimpleStatement.newInstance(
                    "SELECT event_id FROM " + settings.cql().keyspace() + ".listening_log")
                .setPageSize(5_000)
                .setTimeout(Duration.ofSeconds(30)));
    for (Row row : rows) {
      ids.add(row.getUuid(0));
    }
    return ids;
  }

  private long countRows() {
    long count = 0;
    ResultSet rows =
        cql.execute(
            SimpleStatement.newInstance(
                    "SELECT event_id FROM " + settings.cql().keyspace() + ".listening_log")
                .setPageSize(5_000)
                .setTimeout(Duration.ofSeconds(30)));
    for (Row ignored : rows) {
      count++;
    }
    return count;
  }

  private Set<UUID> awaitRows(int expected) {
    await("all " + expected + " rows")
        .atMost(RECOVERY)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> eventIds().size() >= expected);
    return eventIds();
  }

  /** The consumer group's committed offsets, summed over the partitions. */
  private long committed() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(settings.listening().consumerGroup())
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
  }

  /** Records in the dead-letter topic. */
  private long deadLetters() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < 3; p++) {
      latest.put(
          new TopicPartition(settings.listening().deadLetterTopic(), p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
        .mapToLong(info -> info.offset())
        .sum();
  }

  /** {@code ./cadenza infra restart kafka} on the test profile, from the repository's root. */
  private void restartKafka() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("cadenza"))) {
      root = root.getParent();
      assertThat(root).as("the repository root with ./cadenza").isNotNull();
    }
    Path out = Files.createTempFile("kafka-restart", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(root.resolve("cadenza").toString(), "infra", "restart", "kafka")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().put("CADENZA_PROFILE", "test");
    Process restart = builder.start();
    assertThat(restart.waitFor(3, TimeUnit.MINUTES)).as("the restart ends").isTrue();
    String output = Files.readString(out);
    LOG.info("./cadenza infra restart kafka:\n{}", output);
    assertThat(restart.exitValue()).as(output).isZero();
  }

  private Sink startSink(String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            SinkMain.class.getName());
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    children.add(process);
    Sink sink = new Sink(process);
    Thread reader =
        new Thread(
            () -> {
              try (var lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  LOG.info("[sink {}] {}", name, line);
                  if (line.contains("listening sink started")) {
                    sink.started.complete(null);
                  }
                  Matcher stopped = STOPPED.matcher(line);
                  if (stopped.find()) {
                    sink.written.addAndGet(Long.parseLong(stopped.group(1)));
                  }
                }
              } catch (IOException e) {
                // The child was killed.
              }
              sink.started.completeExceptionally(new IllegalStateException("the sink exited"));
              sink.ended.complete(null);
            },
            "sink-output-" + name);
    reader.setDaemon(true);
    reader.start();
    sink.started.get(90, TimeUnit.SECONDS);
    return sink;
  }

  /** A sink process and what its output said. */
  private static final class Sink {
    final Process process;
    final CompletableFuture<Void> started = new CompletableFuture<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    final AtomicLong written = new AtomicLong();

    Sink(Process process) {
      this.process = process;
    }

    /** Stops it with SIGTERM; returns the events it wrote (its own count). */
    long stop() throws Exception {
      // SIGTERM through the handle: Process.destroy() would also close the pipe of its output.
      assertThat(process.toHandle().destroy()).isTrue();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the sink exits on SIGTERM").isTrue();
      ended.get(10, TimeUnit.SECONDS);
      LOG.info("The sink (pid {}) exited with status {}.", process.pid(), process.exitValue());
      return written.get();
    }
  }

  /**
   * Sends the events at {@value #EVENTS_PER_SECOND} a second from a thread of its own with an
   * idempotent acks=all producer that rides through a broker restart (long delivery timeout).
   */
  private static final class Production {
    private final AtomicLong acked = new AtomicLong();
    private final ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Set<UUID>> done = new CompletableFuture<>();

    static Production start(CadenzaSettings settings, List<ListeningEvent> events) {
      Production production = new Production();
      Thread thread = new Thread(() -> production.run(settings, events), "fault-test-producer");
      thread.setDaemon(true);
      thread.start();
      return production;
    }

    long sent() {
      return acked.get();
    }

    private void run(CadenzaSettings settings, List<ListeningEvent> events) {
      Properties config = new Properties();
      config.put(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
      config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      Set<UUID> ids = new HashSet<>();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
        long start = System.nanoTime();
        for (int i = 0; i < events.size(); i++) {
          ListeningEvent event = events.get(i);
          ids.add(event.eventId());
          producer.send(
              new ProducerRecord<>(
                  settings.listening().topic(), event.userId(), ListeningEventJson.write(event)),
              (metadata, e) -> {
                if (e == null) {
                  acked.incrementAndGet();
                } else {
                  failures.add(e);
                }
              });
          long due = start + TimeUnit.SECONDS.toNanos(i + 1) / EVENTS_PER_SECOND;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        producer.flush();
      } catch (RuntimeException e) {
        failures.add(e);
      }
      if (failures.isEmpty() && acked.get() == events.size()) {
        done.complete(ids);
      } else {
        done.completeExceptionally(
            new IllegalStateException(
                acked.get() + " of " + events.size() + " acknowledged; failures: " + failures));
      }
    }

    Set<UUID> await(Duration timeout) throws Exception {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
