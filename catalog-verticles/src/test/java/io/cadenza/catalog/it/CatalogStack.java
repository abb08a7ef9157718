package io.cadenza.catalog.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.ConfigFactory;
import io.cadenza.catalog.changes.KafkaChangeFeed;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.HostPort;
import io.cadenza.config.SettingsLoader;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.cql.CqlMigrations;
import io.cadenza.config.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The catalog against the test stack (its addresses from the CADENZA_* environment, as a node reads
 * them) in a keyspace of its own, migrated on open and dropped on close; the change feed is the
 * real {@code catalog-changes} topic, created when missing.
 */
final class CatalogStack implements AutoCloseable {

  final CadenzaSettings settings;
  final CqlSession session;
  final Vertx vertx;
  final KafkaChangeFeed feed;
  final CatalogRepository repository;

  private CatalogStack(
      CadenzaSettings settings,
      CqlSession session,
      Vertx vertx,
      KafkaChangeFeed feed,
      CatalogRepository repository) {
    this.settings = settings;
    this.session = session;
    this.vertx = vertx;
    this.feed = feed;
    this.repository = repository;
  }

  static CadenzaSettings settings() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent(
        "CADENZA_AUTH_SIGNING_KEYS",
        "test1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
    env.put(
        "CADENZA_CQL_KEYSPACE",
        "it_catalog_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    return SettingsLoader.load(env, ConfigFactory.empty());
  }

  static CatalogStack open() throws Exception {
    CadenzaSettings settings = settings();
    var builder =
        CqlSession.builder()
            .withLocalDatacenter(settings.cql().localDatacenter())
            .withConfigLoader(
                com.datastax.oss.driver.api.core.config.DriverConfigLoader.programmaticBuilder()
                    .withDuration(
                        com.datastax.oss.driver.api.core.config.DefaultDriverOption.REQUEST_TIMEOUT,
                        Duration.ofSeconds(20))
                    .build());
    for (HostPort point : settings.cql().contactPoints()) {
      builder.addContactPoint(new InetSocketAddress(point.host(), point.port()));
    }
    CqlSession session = builder.build();
    new CqlMigrations(session, settings.cql())
        .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN));
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.kafka().bootstrapServersString()))) {
      KafkaTopics.ensure(admin, settings.kafka().topics(), (short) 1, Duration.ofSeconds(30));
    }
    Vertx vertx = Vertx.vertx();
    KafkaChangeFeed feed = KafkaChangeFeed.create(vertx, settings.kafka(), "catalog-it");
    CatalogRepository repository =
        await(
            CatalogRepository.create(
                new Cql(session, settings.cql().keyspace()), feed, Clock.systemUTC()));
    return new CatalogStack(settings, session, vertx, feed, repository);
  }

  String keyspace() {
    return settings.cql().keyspace();
  }

  long count(String table) {
    return session
        .execute(
            SimpleStatement.newInstance("SELECT COUNT(*) FROM " + keyspace() + "." + table)
                .setTimeout(Duration.ofSeconds(60)))
        .one()
        .getLong(0);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      session.execute(
          SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace())
              .setTimeout(Duration.ofSeconds(60)));
    } finally {
      try {
        await(feed.close());
        await(vertx.close());
      } finally {
        session.close();
      }
    }
  }
}
