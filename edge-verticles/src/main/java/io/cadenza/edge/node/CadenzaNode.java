package io.cadenza.edge.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.cadenza.analytics.ListeningLog;
import io.cadenza.analytics.ListeningSink;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.cql.CqlMigrations;
import io.cadenza.config.cql.CqlSessions;
import io.cadenza.config.kafka.KafkaTopics;
import io.cadenza.edge.catalog.CatalogServices;
import io.cadenza.edge.connect.EventBusSessionListener;
import io.cadenza.edge.http.EdgeVerticle;
import io.cadenza.edge.media.MediaServices;
import io.cadenza.session.CqlLease;
import io.cadenza.session.CqlSessionStore;
import io.cadenza.session.SessionCluster;
import io.cadenza.session.Sessions;
import io.cadenza.session.ShardedSessions;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: starts one Cadenza node (clustered Vert.x on Hazelcast, the Akka session
 * cluster, the ScyllaDB session with its migrations, Kafka topics and clients, Redis) and deploys
 * the edge. {@link #stop()} closes everything in reverse order.
 */
public final class CadenzaNode {

  private static final Logger LOG = LoggerFactory.getLogger(CadenzaNode.class);
  private static final String VERSION =
      java.util.Objects.requireNonNullElse(
          CadenzaNode.class.getPackage().getImplementationVersion(), "dev");

  private final CadenzaSettings settings;
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Vertx vertx;
  private HazelcastClusterManager clusterManager;
  private SessionCluster sessionCluster;
  private CqlSession cql;
  private Admin kafkaAdmin;
  private KafkaProducer<String, byte[]> kafkaProducer;
  private Redis redis;
  private MediaServices media;
  private CatalogServices catalog;
  private Sessions sessions;
  private String edgeDeployment;
  private String sinkDeployment;
  private int httpPort;
  private boolean stopped;

  private CadenzaNode(CadenzaSettings settings) {
    this.settings = settings;
  }

  /** Starts a node; on failure, whatever had started is closed again before the future fails. */
  public static Future<CadenzaNode> start(CadenzaSettings settings) {
    CadenzaNode node = new CadenzaNode(settings);
    return node.startAll()
        .map(node)
        .recover(failure -> node.stop().transform(ignored -> Future.failedFuture(failure)));
  }

  public int httpPort() {
    return httpPort;
  }

  public String url() {
    return "http://" + settings.http().host() + ":" + httpPort;
  }

  /**
   * Runs {@code hook} (the node's {@link #stop()}) when the JVM shuts down, before Akka's remoting
   * closes, so that the node leaves the session cluster gracefully ({@link
   * SessionCluster#addJvmShutdownHook}).
   */
  public void onJvmShutdown(Runnable hook) {
    if (sessionCluster != null) {
      sessionCluster.addJvmShutdownHook(hook);
    } else {
      Runtime.getRuntime().addShutdownHook(new Thread(hook, "cadenza-shutdown"));
    }
  }

  /** The users' playback sessions, reached from this node (after a successful start). */
  public Sessions sessions() {
    return sessions;
  }

  /** The node's catalog and search components (after a successful start). */
  public CatalogServices catalog() {
    return catalog;
  }

  public Infrastructure infrastructure() {
    return new Infrastructure(
        settings,
        vertx,
        clusterManager.getHazelcastInstance(),
        metrics,
        sessionCluster,
        cql,
        kafkaAdmin,
        kafkaProducer,
        redis);
  }

  private Future<Void> startAll() {
    Duration startup = settings.node().startupTimeout();
    return startVertx()
        .compose(v -> blocking("Akka session cluster", () -> SessionCluster.start(settings)))
        .compose(
            cluster -> {
              sessionCluster = cluster;
              return Future.fromCompletionStage(
                  cluster.whenUp(startup), vertx.getOrCreateContext());
            })
        .compose(v -> connectCql())
        .compose(v -> blocking("CQL migrations", this::migrate))
        .compose(v -> blocking("Kafka topics", this::connectKafka))
        .compose(v -> blocking("playback sessions", this::startSessions))
        .compose(v -> startListeningSinks())
        .compose(
            v -> {
              redis = Redis.createClient(vertx, redisOptions(settings.redis()));
              // One edge verticle per event loop, sharing the port (a random port, 0, is not
              // shared between instances, so it gets one).
              var http = settings.http();
              int instances = http.port() == 0 ? 1 : http.instances();
              List<EdgeVerticle> edges = new CopyOnWriteArrayList<>();
              Infrastructure infrastructure = infrastructure();
              return MediaServices.create(infrastructure)
                  .compose(
                      made -> {
                        media = made;
                        return CatalogServices.create(infrastructure);
                      })
                  .compose(
                      madeCatalog -> {
                        catalog = madeCatalog;
                        return vertx.deployVerticle(
                            () -> {
                              EdgeVerticle edge =
                                  new EdgeVerticle(infrastructure, media, madeCatalog, sessions);
                              edges.add(edge);
                              return edge;
                            },
                            new DeploymentOptions().setInstances(instances));
                      })
                  .map(
                      id -> {
                        edgeDeployment = id;
                        httpPort = edges.get(0).actualPort();
                        return null;
                      });
            })
        .compose(v -> register())
        .onSuccess(
            v ->
                LOG.atInfo()
                    .addKeyValue("node", settings.node().name())
                    .addKeyValue("url", url())
                    .log("Cadenza node {} is up at {}.", settings.node().name(), url()));
  }

  private Future<Void> startVertx() {
    CadenzaSettings.Hazelcast hz = settings.cluster().hazelcast();
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(hz.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().setPort(hz.port()).setPortAutoIncrement(true);
    // The member's own address, taken as it is: interface matching would refuse a loopback alias
    // such as 127.0.0.2 (the loopback interface lists only 127.0.0.1).
    config.setProperty("hazelcast.local.localAddress", hz.host());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(hz.members());
    clusterManager = new HazelcastClusterManager(config);

    VertxOptions options = new VertxOptions();
    options
        .getEventBusOptions()
        .setHost(settings.cluster().eventBus().host())
        .setPort(settings.cluster().eventBus().port())
        .setClusterPublicHost(settings.cluster().eventBus().host());
    options.setMetricsOptions(
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setLabels(
                EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_NAME))
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    return Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .withClusterManager(clusterManager)
        .buildClustered()
        .map(
            started -> {
              vertx = started;
              // Pending tasks per event loop: the event loops' backlog, next to Vert.x's own
              // metrics.
              new NettyEventExecutorMetrics(((VertxInternal) started).nettyEventLoopGroup())
                  .bindTo(metrics);
              return null;
            });
  }

  private Future<Void> connectCql() {
    CadenzaSettings.Cql cqlSettings = settings.cql();
    var stage =
        CqlSessions.builder(cqlSettings, settings.node().name()).buildAsync().toCompletableFuture();
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext())
        .timeout(
            settings.node().startupTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onFailure(
            failure -> {
              // A connection that succeeds after the deadline must not leak.
              stage.thenAccept(CqlSession::closeAsync);
            })
        .map(
            session -> {
              cql = session;
              LOG.info("Connected to ScyllaDB at {}.", cqlSettings.contactPoints());
              return null;
            });
  }

  private Void migrate() {
    new CqlMigrations(cql, settings.cql())
        .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN));
    // The split-brain resolver's lease lives in ScyllaDB: until it has the session, a node that
    // loses a peer cannot take the lease and downs itself.
    CqlLease.provideSession(sessionCluster.system(), cql);
    return null;
  }

  private Void connectKafka() throws Exception {
    CadenzaSettings.Kafka kafka = settings.kafka();
    int timeoutMs = (int) kafka.requestTimeout().toMillis();
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServersString());
    admin.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.node().name() + "-admin");
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    kafkaAdmin = Admin.create(admin);
    KafkaTopics.ensure(
        kafkaAdmin, kafka.topics(), kafka.replicationFactor(), settings.node().startupTimeout());
    // The listening topics may have names of their own (cadenza.listening), not in the list above.
    KafkaTopics.ensure(
        kafkaAdmin,
        ListeningSink.topics(settings),
        kafka.replicationFactor(),
        settings.node().startupTimeout());
    kafkaProducer =
        KafkaProducer.create(
            vertx,
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServersString(),
                ProducerConfig.CLIENT_ID_CONFIG, settings.node().name(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    String.valueOf(Math.max(timeoutMs * 3, 30_000)),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs),
                ProducerConfig.LINGER_MS_CONFIG, "5"),
            String.class,
            byte[].class);
    return null;
  }

  /**
   * This node's share of the users' sessions: the sharded entity, its store in ScyllaDB, and the
   * event bus that carries each durable change to the user's sockets on every node.
   */
  private Void startSessions() {
    sessions =
        TimedSessions.of(
            ShardedSessions.start(
                sessionCluster.system(),
                TimedSessions.of(CqlSessionStore.create(cql, settings.cql().keyspace()), metrics),
                new EventBusSessionListener(vertx),
                settings.session(),
                Clock.systemUTC()),
            metrics);
    return null;
  }

  /**
   * The listening sink's consumers ({@code cadenza.listening.sink-instances}, none when 0), sharing
   * one {@link ListeningLog} and the node's producer for the dead letters; their meters join the
   * node's registry.
   */
  private Future<Void> startListeningSinks() {
    int instances = settings.listening().sinkInstances();
    if (instances == 0) {
      return Future.succeededFuture();
    }
    AtomicInteger next = new AtomicInteger();
    return blocking(
            "listening log",
            () ->
                ListeningLog.create(
                    cql, settings.cql().keyspace(), settings.listening().countAfter()))
        .compose(
            log ->
                vertx.deployVerticle(
                    () ->
                        new ListeningSink(
                            settings,
                            settings.node().name() + "-listening-" + next.getAndIncrement(),
                            log,
                            kafkaProducer.unwrap(),
                            metrics),
                    new DeploymentOptions().setInstances(instances)))
        .map(
            id -> {
              sinkDeployment = id;
              return null;
            });
  }

  private static RedisOptions redisOptions(CadenzaSettings.Redis redis) {
    return new RedisOptions()
        .setConnectionString(redis.url().toString())
        .setMaxPoolSize(redis.maxPoolSize())
        .setMaxPoolWaiting(redis.maxPoolWaiting());
  }

  private Future<Void> register() {
    return Future.fromCompletionStage(
            cql.executeAsync(
                SimpleStatement.newInstance(
                    "INSERT INTO "
                        + settings.cql().keyspace()
                        + ".nodes (name, http_url, started_at, version) VALUES (?, ?, ?, ?)",
                    settings.node().name(),
                    url(),
                    Instant.now(),
                    VERSION)),
            vertx.getOrCreateContext())
        .mapEmpty();
  }

  /**
   * Closes in about the reverse order of start: the edge stops taking requests, the Akka member
   * leaves its cluster (its sessions hand off to the other members, each finishing its pending
   * write first), then Kafka, Redis and ScyllaDB clients close, and Vert.x leaves Hazelcast. Each
   * step is attempted even when an earlier one failed.
   */
  public synchronized Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    if (vertx == null) {
      return Future.succeededFuture();
    }
    Future<Void> beforeVertx =
        step("edge", () -> edgeDeployment == null ? null : vertx.undeploy(edgeDeployment))
            // The sink finishes and commits its batch while ScyllaDB and the producer are there.
            .compose(
                v ->
                    step(
                        "listening sink",
                        () -> sinkDeployment == null ? null : vertx.undeploy(sinkDeployment)))
            .compose(
                v ->
                    step(
                        "media transcode pool",
                        () ->
                            media == null
                                ? null
                                : vertx.executeBlocking(
                                    () -> {
                                      media.close();
                                      return null;
                                    })))
            .compose(
                v ->
                    step(
                        "catalog cache invalidation",
                        () -> catalog == null ? null : catalog.close()))
            .compose(v -> step("node registration", this::deregister))
            // Sessions hand off (each finishing its pending write) while ScyllaDB is still there.
            .compose(
                v ->
                    step(
                        "Akka session cluster",
                        () ->
                            sessionCluster == null
                                ? null
                                : Future.fromCompletionStage(
                                    sessionCluster.stop(), vertx.getOrCreateContext())))
            .compose(
                v ->
                    step(
                        "Kafka producer",
                        () -> kafkaProducer == null ? null : kafkaProducer.close()))
            .compose(
                v ->
                    step(
                        "Kafka admin",
                        () ->
                            kafkaAdmin == null
                                ? null
                                : vertx.executeBlocking(
                                    () -> {
                                      kafkaAdmin.close(Duration.ofSeconds(2));
                                      return null;
                                    })))
            .compose(v -> step("Redis", () -> redis == null ? null : redis.close()))
            .compose(
                v ->
                    step(
                        "ScyllaDB session",
                        () ->
                            cql == null
                                ? null
                                : Future.fromCompletionStage(
                                    cql.closeAsync(), vertx.getOrCreateContext())));
    // Vert.x last, and outside any chain bound to its event loops: once they are shut down such a
    // chain could not complete. close() returns a context-less future, and so is this promise.
    Promise<Void> done = Promise.promise();
    beforeVertx.onComplete(
        ignored ->
            vertx
                .close()
                .onComplete(
                    closed -> {
                      if (closed.failed()) {
                        LOG.warn(
                            "Stopping Vert.x and Hazelcast failed: {}", closed.cause().toString());
                      }
                      LOG.info("Cadenza node {} stopped.", settings.node().name());
                      done.complete();
                    }));
    return done.future();
  }

  private Future<Void> deregister() {
    if (cql == null || edgeDeployment == null) {
      return null;
    }
    return Future.fromCompletionStage(
            cql.executeAsync(
                SimpleStatement.newInstance(
                        "DELETE FROM " + settings.cql().keyspace() + ".nodes WHERE name = ?",
                        settings.node().name())
                    .setTimeout(Duration.ofSeconds(2))),
            vertx.getOrCreateContext())
        .mapEmpty();
  }

  private static Future<Void> step(String what, Supplier<Future<?>> action) {
    Future<?> future;
    try {
      future = action.get();
    } catch (RuntimeException e) {
      future = Future.failedFuture(e);
    }
    if (future == null) {
      return Future.succeededFuture();
    }
    return future
        .<Void>mapEmpty()
        .recover(
            failure -> {
              LOG.warn("Stopping {} failed: {}", what, failure.toString());
              return Future.succeededFuture();
            });
  }

  private <T> Future<T> blocking(String what, java.util.concurrent.Callable<T> work) {
    return vertx
        .executeBlocking(work, false)
        .recover(
            failure ->
                Future.failedFuture(
                    new IllegalStateException(what + " failed: " + failure.getMessage(), failure)));
  }
}
