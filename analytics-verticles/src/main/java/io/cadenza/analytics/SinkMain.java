package io.cadenza.analytics;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.SettingsLoader;
import io.cadenza.config.cql.CqlMigrations;
import io.cadenza.config.cql.CqlSessions;
import io.cadenza.config.kafka.KafkaTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process that runs only the listening sink: {@code cadenza.listening.sink-instances} consumers
 * (at least one) with the settings a node reads (the {@code CADENZA_*} environment). It connects to
 * ScyllaDB and applies the migrations as a node does, creates the listening topics when missing,
 * logs {@code listening sink started} once its consumers run, and on SIGTERM finishes their
 * batches, commits and exits.
 */
public final class SinkMain {

  static {
    // The sink's own logging (this module ships no logback.xml: the node brings its own).
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "io/cadenza/analytics/sink-logback.xml");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(SinkMain.class);

  private SinkMain() {}

  public static void main(String[] args) throws Exception {
    try {
      run();
    } catch (Exception | Error e) {
      // Vert.x's threads would keep a half-started process alive.
      LOG.error("The listening sink did not start: {}", e.toString(), e);
      System.exit(1);
    }
  }

  private static void run() throws Exception {
    CadenzaSettings settings = SettingsLoader.load();
    String name = settings.node().name() + "-sink";
    Duration startup = settings.node().startupTimeout();

    CqlSession cql =
        CqlSessions.builder(settings.cql(), name)
            .buildAsync()
            .toCompletableFuture()
            .get(startup.toMillis(), TimeUnit.MILLISECONDS);
    new CqlMigrations(cql, settings.cql())
        .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN));
    ListeningLog log =
        ListeningLog.create(cql, settings.cql().keyspace(), settings.listening().countAfter());

    try (Admin admin = Admin.create(adminConfig(settings, name))) {
      KafkaTopics.ensure(
          admin, ListeningSink.topics(settings), settings.kafka().replicationFactor(), startup);
    }
    Producer<String, byte[]> deadLetters = new KafkaProducer<>(producerConfig(settings, name));

    Vertx vertx = Vertx.vertx();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    int instances = Math.max(1, settings.listening().sinkInstances());
    AtomicInteger next = new AtomicInteger();
    vertx
        .deployVerticle(
            () ->
                new ListeningSink(
                    settings, name + "-" + next.getAndIncrement(), log, deadLetters, metrics),
            new DeploymentOptions().setInstances(instances))
        .toCompletionStage()
        .toCompletableFuture()
        .get(startup.toMillis(), TimeUnit.MILLISECONDS);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop(settings, vertx, deadLetters, cql);
                  stopped.countDown();
                },
                "listening-sink-shutdown"));
    LOG.info(
        "listening sink started: {} consumer(s) of {} in group {}, writing to keyspace {}.",
        instances,
        settings.listening().topic(),
        settings.listening().consumerGroup(),
        settings.cql().keyspace());
    stopped.await();
  }

  /** Undeploys the consumers (each finishes and commits its batch), then closes the clients. */
  private static void stop(
      CadenzaSettings settings, Vertx vertx, Producer<String, byte[]> deadLetters, CqlSession cql) {
    long timeout = settings.node().shutdownTimeout().toMillis() + 10_000;
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("The listening sink's consumers did not stop cleanly: {}", e.toString());
    }
    deadLetters.close(Duration.ofSeconds(10));
    cql.close();
    LOG.info("listening sink stopped.");
  }

  private static Properties adminConfig(CadenzaSettings settings, String name) {
    int timeoutMs = (int) settings.kafka().requestTimeout().toMillis();
    Properties admin = new Properties();
    admin.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
    admin.put(AdminClientConfig.CLIENT_ID_CONFIG, name + "-admin");
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    return admin;
  }

  /** The dead letters' producer: idempotent, acknowledged by all replicas. */
  private static Properties producerConfig(CadenzaSettings settings, String name) {
    Properties producer = new Properties();
    producer.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
    producer.put(ProducerConfig.CLIENT_ID_CONFIG, name + "-dlq");
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return producer;
  }
}
