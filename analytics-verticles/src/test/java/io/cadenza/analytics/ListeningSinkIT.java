package io.cadenza.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.ConfigFactory;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.SettingsLoader;
import io.cadenza.config.cql.CqlMigrations;
import io.cadenza.config.cql.CqlSessions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink in this JVM against the test stack's Kafka and Cassandra: bad records go to the
 * dead-letter topic with their reason and origin, and the good records behind them on the same
 * partition are written and committed.
 */
class ListeningSinkIT {

  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private CadenzaSettings settings;
  private CqlSession cql;
  private Admin admin;
  private KafkaProducer<String, byte[]> producer;
  private Vertx vertx;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CADENZA_CQL_KEYSPACE", "it_sink_" + suffix);
    env.put("CADENZA_LISTENING_TOPIC", "it-sink-" + suffix);
    env.put("CADENZA_LISTENING_DLQ_TOPIC", "it-sink-dlq-" + suffix);
    env.put("CADENZA_LISTENING_GROUP", "it-sink-" + suffix);
    settings = SettingsLoader.load(env, ConfigFactory.empty());
    cql = CqlSessions.builder(settings.cql(), "sink-test").build();
    // Only the listening log's tables: the sink needs no other, and each schema change is slow.
    new CqlMigrations(cql, settings.cql())
        .apply(
            CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN).stream()
                .filter(m -> m.name().equals("listening"))
                .toList());
    Properties adminConfig = new Properties();
    adminConfig.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
    admin = Admin.create(adminConfig);
    admin
        .createTopics(
            List.of(
                new NewTopic(settings.listening().topic(), 2, (short) 1),
                new NewTopic(settings.listening().deadLetterTopic(), 1, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);
    Properties producerConfig = new Properties();
    producerConfig.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producerConfig.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(producerConfig);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    producer.close(Duration.ofSeconds(5));
    try {
      admin
          .deleteTopics(
              List.of(settings.listening().topic(), settings.listening().deadLetterTopic()))
          .all()
          .get(30, TimeUnit.SECONDS);
    } finally {
      admin.close(Duration.ofSeconds(5));
      cql.execute(
          SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + settings.cql().keyspace())
              .setTimeout(Duration.ofSeconds(60)));
      cql.close();
    }
  }

  @Test
  void badRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheirPartitionGoesOn() throws Exception {
    ListeningEvent first = event();
    ListeningEvent second = event();
    ListeningEvent third = event();
    String schema2 = ListeningEventJson.toJson(event()).put("schema", 2).encode();
    String noUser = ListeningEventJson.toJson(event()).putNull("user_id").encode();
    String topic = settings.listening().topic();
    // All on partition 0, in this order: the bad ones sit between good ones.
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    records.add(record(topic, first.userId(), ListeningEventJson.write(first)));
    records.add(record(topic, "k-not-json", utf8("not json at all")));
    records.add(record(topic, "k-schema-2", utf8(schema2)));
    records.add(record(topic, "k-no-user", utf8(noUser)));
    records.add(record(topic, second.userId(), ListeningEventJson.write(second)));
    records.add(record(topic, third.userId(), ListeningEventJson.write(third)));
    records.get(1).headers().add("trace", utf8("abc"));
    for (ProducerRecord<String, byte[]> record : records) {
      producer.send(record).get(30, TimeUnit.SECONDS);
    }

    ListeningLog log =
        ListeningLog.create(cql, settings.cql().keyspace(), settings.listening().countAfter());
    vertx
        .deployVerticle(new ListeningSink(settings, "sink-it", log, producer, metrics))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    // In the partition's order: dead letters are sent concurrently, their order is not kept.
    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>(readDeadLetters(3));
    dead.sort(
        java.util.Comparator.comparingLong(
            r -> Long.parseLong(header(r, ListeningSink.OFFSET_HEADER))));
    assertThat(dead)
        .extracting(ConsumerRecord::key)
        .containsExactly("k-not-json", "k-schema-2", "k-no-user");
    assertThat(dead)
        .extracting(r -> header(r, ListeningSink.REASON_HEADER))
        .containsExactly(
            "not a JSON object",
            "schema: version 2 is not supported (this reader knows 1)",
            "user_id: is required");
    assertThat(dead)
        .extracting(r -> header(r, ListeningSink.OFFSET_HEADER))
        .containsExactly("1", "2", "3");
    for (ConsumerRecord<String, byte[]> r : dead) {
      assertThat(header(r, ListeningSink.TOPIC_HEADER)).isEqualTo(topic);
      assertThat(header(r, ListeningSink.PARTITION_HEADER)).isEqualTo("0");
    }
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8))
        .isEqualTo("not json at all");
    assertThat(header(dead.get(0), "trace")).as("the original headers stay").isEqualTo("abc");

    await("the good records written and the partition committed past them")
        .atMost(Duration.ofSeconds(30))
        .until(() -> rows() == 3 && committed(new TopicPartition(topic, 0)) == 6);
    assertThat(
            log.between(first.userId(), Instant.now().minus(Duration.ofDays(1)), Instant.now())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
        .extracting(ListeningEvent::eventId)
        .contains(first.eventId());
    assertThat(metrics.get(ListeningSink.EVENTS).tag("outcome", "written").counter().count())
        .isEqualTo(3);
    assertThat(metrics.get(ListeningSink.EVENTS).tag("outcome", "dead_lettered").counter().count())
        .isEqualTo(3);
    await("the lag gauge at zero")
        .atMost(Duration.ofSeconds(20))
        .until(() -> metrics.get(ListeningSink.LAG).gauge().value() == 0);
  }

  @Test
  void theLagGaugeShowsTheBacklogAndThenZero() throws Exception {
    // 2,000 records waiting and 8 writes in flight: a batch takes at most max.poll.records (500)
    // of them, so the gauge's reading after the first batch shows the rest as lag.
    settings =
        SettingsLoader.from(
            ConfigFactory.parseMap(Map.of("cadenza.listening.max-in-flight", "8"))
                .withFallback(settings.hocon()));
    String topic = settings.listening().topic();
    for (int i = 0; i < 2_000; i++) {
      ListeningEvent e = event();
      producer.send(new ProducerRecord<>(topic, e.userId(), ListeningEventJson.write(e)));
    }
    producer.flush();
    ListeningLog log =
        ListeningLog.create(cql, settings.cql().keyspace(), settings.listening().countAfter());
    vertx
        .deployVerticle(new ListeningSink(settings, "sink-lag", log, producer, metrics))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    await("a backlog on the lag gauge")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> metrics.get(ListeningSink.LAG).gauge().value() > 0);
    await("all written").atMost(Duration.ofSeconds(60)).until(() -> rows() == 2_000);
    await("the lag gauge at zero")
        .atMost(Duration.ofSeconds(20))
        .until(() -> metrics.get(ListeningSink.LAG).gauge().value() == 0);
  }

  @Test
  void anEventScyllaRefusesIsDeadLetteredAndTheOthersAreWritten() throws Exception {
    ListeningLog log =
        ListeningLog.create(cql, settings.cql().keyspace(), settings.listening().countAfter());
    // Plays that count also write a chart row: without its table ScyllaDB refuses them for good.
    cql.execute(
        SimpleStatement.newInstance("DROP TABLE " + settings.cql().keyspace() + ".daily_plays")
            .setTimeout(Duration.ofSeconds(60)));
    ListeningEvent counted = event();
    ListeningEvent brief = event();
    ListeningEvent skipped = withPlay(brief, brief.startedAt(), 5_000);
    String topic = settings.listening().topic();
    producer
        .send(record(topic, "k-counted", ListeningEventJson.write(counted)))
        .get(30, TimeUnit.SECONDS);
    producer
        .send(record(topic, "k-skipped", ListeningEventJson.write(skipped)))
        .get(30, TimeUnit.SECONDS);

    vertx
        .deployVerticle(new ListeningSink(settings, "sink-refused", log, producer, metrics))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    List<ConsumerRecord<String, byte[]>> dead = readDeadLetters(1);
    assertThat(dead).extracting(ConsumerRecord::key).containsExactly("k-counted");
    assertThat(header(dead.get(0), ListeningSink.REASON_HEADER))
        .startsWith("not written: ")
        .containsIgnoringCase("daily_plays");
    await("the other event written and the partition committed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> committed(new TopicPartition(topic, 0)) == 2);
    assertThat(
            cql.execute(
                    SimpleStatement.newInstance(
                        "SELECT event_id FROM " + settings.cql().keyspace() + ".listening_log"))
                .all())
        .extracting(row -> row.getUuid(0))
        .contains(skipped.eventId());
  }

  @Test
  void aLogRowReadsBackAsItsEventWithoutTheCellsItCanDoWithout() throws Exception {
    ListeningLog log =
        ListeningLog.create(cql, settings.cql().keyspace(), settings.listening().countAfter());
    Instant end = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
    ListeningEvent full =
        new ListeningEvent(
            ListeningEvent.timeOrderedId(end.toEpochMilli(), "full"),
            "user-" + suffix,
            "track1",
            "device1",
            "cadenza:album:a1",
            end.minusMillis(95_000).plusNanos(456_789),
            95_000,
            "clickrow",
            "trackdone",
            true,
            true,
            end.plusSeconds(3).plusNanos(999),
            "SE");
    ListeningEvent bare =
        new ListeningEvent(
            UUID.randomUUID(),
            "user-" + suffix,
            "track2",
            "device1",
            null,
            end.minusMillis(200_000),
            190_000,
            "fwdbtn",
            "endplay",
            false,
            false,
            null,
            null);
    // A row as written before started_at and schema_version were left out.
    ListeningEvent plain = event();
    ListeningEvent older = withPlay(plain, plain.startedAt(), 45_000);
    cql.execute(
        SimpleStatement.newInstance(
            "INSERT INTO "
                + settings.cql().keyspace()
                + ".listening_log (user_id, month, played_at, event_id, track_id, device_id,"
                + " started_at, ms_played, reason_start, reason_end, shuffle, offline,"
                + " schema_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, false, 1)",
            older.userId(),
            older.month(),
            older.playedAt(),
            older.eventId(),
            older.trackId(),
            older.deviceId(),
            older.startedAt(),
            older.msPlayed(),
            older.reasonStart(),
            older.reasonEnd()));

    log.writeAll(List.of(full, bare)).toCompletableFuture().get(30, TimeUnit.SECONDS);

    List<ListeningEvent> read =
        log.recentBefore("user-" + suffix, Instant.now(), 10)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    // Newest first; times to the millisecond, all a timestamp keeps.
    assertThat(read)
        .containsExactly(
            new ListeningEvent(
                full.eventId(),
                full.userId(),
                full.trackId(),
                full.deviceId(),
                full.contextUri(),
                full.startedAt().truncatedTo(ChronoUnit.MILLIS),
                full.msPlayed(),
                full.reasonStart(),
                full.reasonEnd(),
                true,
                true,
                full.clientTimestamp().truncatedTo(ChronoUnit.MILLIS),
                "SE"),
            bare,
            withPlay(older, older.startedAt().truncatedTo(ChronoUnit.MILLIS), older.msPlayed()));
    var cells =
        cql.execute(
                SimpleStatement.newInstance(
                    "SELECT started_at, schema_version, shuffle, offline FROM "
                        + settings.cql().keyspace()
                        + ".listening_log WHERE user_id = ? AND month = ? AND played_at = ?",
                    bare.userId(),
                    bare.month(),
                    bare.playedAt()))
            .one();
    assertThat(cells).isNotNull();
    for (int i = 0; i < 4; i++) {
      assertThat(cells.isNull(i)).as("cell %d not written", i).isTrue();
    }
  }

  /** The event with another start and length. */
  private static ListeningEvent withPlay(ListeningEvent e, Instant startedAt, long msPlayed) {
    return new ListeningEvent(
        e.eventId(),
        e.userId(),
        e.trackId(),
        e.deviceId(),
        e.contextUri(),
        startedAt,
        msPlayed,
        e.reasonStart(),
        e.reasonEnd(),
        e.shuffle(),
        e.offline(),
        e.clientTimestamp(),
        e.country());
  }

  private ListeningEvent event() {
    return new ListeningEvent(
        UUID.randomUUID(),
        "user-" + suffix,
        "track1",
        "device1",
        null,
        Instant.now().minusSeconds(600),
        90_000,
        "clickrow",
        "trackdone",
        false,
        false,
        null,
        null);
  }

  private static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, 0, key, value, new RecordHeaders());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private long rows() {
    return cql.execute(
            SimpleStatement.newInstance(
                "SELECT count(*) FROM " + settings.cql().keyspace() + ".listening_log"))
        .one()
        .getLong(0);
  }

  private long committed(TopicPartition partition) throws Exception {
    OffsetAndMetadata offset =
        admin
            .listConsumerGroupOffsets(settings.listening().consumerGroup())
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS)
            .get(partition);
    return offset == null ? -1 : offset.offset();
  }

  private List<ConsumerRecord<String, byte[]>> readDeadLetters(int count) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + suffix);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(settings.listening().deadLetterTopic()));
      await("the dead letters")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= count;
              });
    }
    return read;
  }
}
