package io.cadenza.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import akka.actor.ActorSystem;
import akka.coordination.lease.LeaseTimeoutException;
import akka.coordination.lease.javadsl.Lease;
import akka.coordination.lease.javadsl.LeaseProvider;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.HostPort;
import io.cadenza.config.SettingsLoader;
import io.cadenza.config.cql.CqlMigrations;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CqlLease against the test stack's Cassandra (its address from the CADENZA_* environment, as a
 * node reads it), in a keyspace of its own migrated with the built-in migrations. Each owner is an
 * ActorSystem of its own (as each node is) loading the lease the way the split-brain resolver does:
 * through Akka's LeaseProvider and the {@code cadenza.cql-lease} block of cadenza-akka.conf, with a
 * short TTL so expiry is quick to observe.
 */
class CqlLeaseIT {

  private static final Duration TTL = Duration.ofSeconds(3);
  private static final String CONFIG_PATH = "cadenza.cql-lease";

  private static CadenzaSettings settings;
  private static CqlSession shared;
  private static ActorSystem nodeA;
  private static ActorSystem nodeB;

  private final List<ActorSystem> extraNodes = new ArrayList<>();
  private final List<CqlSession> extraSessions = new ArrayList<>();

  @BeforeAll
  static void open() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent(
        "CADENZA_AUTH_SIGNING_KEYS",
        "test1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
    env.put(
        "CADENZA_CQL_KEYSPACE",
        "it_lease_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    env.put("CADENZA_AKKA_LEASE_TTL", TTL.toSeconds() + "s");
    settings =
        SettingsLoader.load(
            env,
            ConfigFactory.parseMap(
                Map.of(
                    "cadenza.cluster.akka.lease.heartbeat-interval", "500ms",
                    "cadenza.cluster.akka.lease.operation-timeout", "500ms")));
    shared = connect();
    new CqlMigrations(shared, settings.cql())
        .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN));
    nodeA = node("node-a", shared);
    nodeB = node("node-b", shared);
  }

  @AfterAll
  static void close() throws Exception {
    try {
      for (ActorSystem node : new ActorSystem[] {nodeA, nodeB}) {
        if (node != null) {
          node.terminate();
          node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (shared != null) {
        try {
          shared.execute(
              SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + settings.cql().keyspace())
                  .setTimeout(Duration.ofSeconds(60)));
        } finally {
          shared.close();
        }
      }
    }
  }

  @AfterEach
  void closeExtras() throws Exception {
    for (ActorSystem node : extraNodes) {
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    extraSessions.forEach(CqlSession::close);
  }

  private static CqlSession connect() {
    var builder =
        CqlSession.builder()
            .withLocalDatacenter(settings.cql().localDatacenter())
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                    .build());
    for (HostPort point : settings.cql().contactPoints()) {
      builder.addContactPoint(new InetSocketAddress(point.host(), point.port()));
    }
    return builder.build();
  }

  /** An ActorSystem with the node's settings (local provider: the lease needs no cluster). */
  private static ActorSystem node(String name, CqlSession session) {
    Config config =
        ConfigFactory.parseString("akka.actor.provider = local").withFallback(settings.hocon());
    ActorSystem system = ActorSystem.create(name, config);
    if (session != null) {
      CqlLease.provideSession(system, session);
    }
    return system;
  }

  /** A node of this test only, stopped after it, with its own CQL session when asked. */
  private ActorSystem extraNode(String name, boolean ownSession) {
    CqlSession session = shared;
    if (ownSession) {
      session = connect();
      extraSessions.add(session);
    }
    ActorSystem node = node(name, session);
    extraNodes.add(node);
    return node;
  }

  private static Lease lease(ActorSystem node, String leaseName) {
    return LeaseProvider.get(node).getLease(leaseName, CONFIG_PATH, node.name() + "@127.0.0.1");
  }

  private static String freshName() {
    return "it-" + UUID.randomUUID();
  }

  private static <T> T result(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static String ownerInTable(String leaseName) {
    var row =
        shared
            .execute(
                SimpleStatement.newInstance(
                    "SELECT owner FROM " + settings.cql().keyspace() + ".leases WHERE name = ?",
                    leaseName))
            .one();
    return row == null ? null : row.getString("owner");
  }

  @Test
  void theSplitBrainResolverConfigurationLoadsTheCqlLease() {
    assertThat(
            settings
                .hocon()
                .getString("akka.cluster.split-brain-resolver.lease-majority.lease-implementation"))
        .isEqualTo(CONFIG_PATH);
    Lease lease = lease(nodeA, freshName());
    assertThat(lease.getSettings().leaseConfig().getString("lease-class"))
        .isEqualTo(CqlLease.class.getName());
    assertThat(lease.getSettings().timeoutSettings().getHeartbeatTimeout()).isEqualTo(TTL);
  }

  @Test
  void onlyOneOfTwoOwnersAcquiresTheLease() throws Exception {
    String name = freshName();
    Lease a = lease(nodeA, name);
    Lease b = lease(nodeB, name);

    assertThat(result(a.acquire())).isTrue();
    assertThat(result(b.acquire())).isFalse();

    assertThat(a.checkLease()).isTrue();
    assertThat(b.checkLease()).isFalse();
    assertThat(ownerInTable(name)).isEqualTo("node-a@127.0.0.1");
    result(a.release());
  }

  @Test
  void twoOwnersRacingForAFreeLeaseGiveExactlyOneHolder() throws Exception {
    String name = freshName();
    Lease a = lease(nodeA, name);
    Lease b = lease(nodeB, name);

    CompletableFuture<Boolean> byA = a.acquire().toCompletableFuture();
    CompletableFuture<Boolean> byB = b.acquire().toCompletableFuture();

    assertThat(List.of(result(byA), result(byB))).containsExactlyInAnyOrder(true, false);
    assertThat(a.checkLease()).isNotEqualTo(b.checkLease());
    assertThat(ownerInTable(name)).isEqualTo(result(byA) ? "node-a@127.0.0.1" : "node-b@127.0.0.1");
  }

  @Test
  void theHolderAcquiresAgain() throws Exception {
    String name = freshName();
    Lease a = lease(nodeA, name);

    assertThat(result(a.acquire())).isTrue();
    assertThat(result(a.acquire())).isTrue();

    assertThat(a.checkLease()).isTrue();
    assertThat(result(lease(nodeB, name).acquire())).isFalse();
    result(a.release());
  }

  @Test
  void releaseLetsTheOtherOwnerAcquire() throws Exception {
    String name = freshName();
    Lease a = lease(nodeA, name);
    Lease b = lease(nodeB, name);
    assertThat(result(a.acquire())).isTrue();
    assertThat(result(b.acquire())).isFalse();

    assertThat(result(a.release())).isTrue();

    assertThat(a.checkLease()).isFalse();
    assertThat(result(b.acquire())).isTrue();
    assertThat(b.checkLease()).isTrue();
    assertThat(ownerInTable(name)).isEqualTo("node-b@127.0.0.1");
    result(b.release());
  }

  @Test
  void releaseByAnOwnerThatDoesNotHoldTheLeaseLeavesItWithItsHolder() throws Exception {
    String name = freshName();
    Lease a = lease(nodeA, name);
    Lease b = lease(nodeB, name);
    assertThat(result(a.acquire())).isTrue();

    assertThat(result(b.release())).isFalse();

    assertThat(ownerInTable(name)).isEqualTo("node-a@127.0.0.1");
    assertThat(a.checkLease()).isTrue();
    result(a.release());
  }

  @Test
  void heartbeatsKeepTheLeaseWellPastItsTtl() throws Exception {
    String name = freshName();
    Lease a = lease(nodeA, name);
    Lease b = lease(nodeB, name);
    assertThat(result(a.acquire())).isTrue();

    // Three TTLs: without renewals the row would be gone after the first one.
    await()
        .during(TTL.multipliedBy(3))
        .atMost(TTL.multipliedBy(5))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !result(b.acquire()) && a.checkLease());

    assertThat(ownerInTable(name)).isEqualTo("node-a@127.0.0.1");
    result(a.release());
  }

  @Test
  void anOwnerThatStopsHeartbeatingLosesTheLeaseToTheOtherAfterTheTtl() throws Exception {
    String name = freshName();
    ActorSystem crashing = extraNode("node-c", false);
    Lease c = lease(crashing, name);
    Lease b = lease(nodeB, name);
    assertThat(result(c.acquire())).isTrue();

    // Like kill -9 of the holder: no release, its renewals stop with its ActorSystem.
    crashing.terminate();
    result(crashing.getWhenTerminated());
    long stoppedAt = System.nanoTime();
    assertThat(result(b.acquire())).isFalse();

    await()
        .atMost(TTL.plusSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> result(b.acquire()));

    Duration waited = Duration.ofNanos(System.nanoTime() - stoppedAt);
    // The last renewal was about one heartbeat-interval (500 ms) before the stop, or less.
    assertThat(waited).isGreaterThanOrEqualTo(TTL.minusSeconds(1));
    assertThat(b.checkLease()).isTrue();
    assertThat(ownerInTable(name)).isEqualTo("node-b@127.0.0.1");
    result(b.release());
  }

  @Test
  void aLeaseTakenOverElsewhereIsReportedLostByCheckLeaseAndTheCallback() throws Exception {
    String name = freshName();
    Lease a = lease(nodeA, name);
    Lease b = lease(nodeB, name);
    CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
    assertThat(result(a.acquire(lost::complete))).isTrue();

    // An operator deletes the row and another owner takes the lease.
    shared.execute(
        SimpleStatement.newInstance(
            "DELETE FROM " + settings.cql().keyspace() + ".leases WHERE name = ?", name));
    assertThat(result(b.acquire())).isTrue();

    assertThat(lost.get(TTL.toMillis() * 2, TimeUnit.MILLISECONDS)).isEmpty();
    assertThat(a.checkLease()).isFalse();
    assertThat(b.checkLease()).isTrue();
    result(b.release());
  }

  @Test
  void aHolderCutOffFromTheDatabaseGivesTheLeaseUpWithinTheTtl() throws Exception {
    String name = freshName();
    ActorSystem cutOff = extraNode("node-d", true);
    Lease d = lease(cutOff, name);
    Lease b = lease(nodeB, name);
    AtomicReference<Optional<Throwable>> lost = new AtomicReference<>();
    assertThat(result(d.acquire(lost::set))).isTrue();

    long cutAt = System.nanoTime();
    extraSessions.get(0).closeAsync();
    assertThat(d.checkLease()).isTrue();

    await().atMost(TTL.plusSeconds(2)).until(() -> lost.get() != null);
    assertThat(d.checkLease()).isFalse();
    assertThat(lost.get()).isPresent();
    // Not at the first failed renewal but once the TTL counted from the last renewal (about one
    // heartbeat-interval, 500 ms, before the cut) has passed.
    assertThat(Duration.ofNanos(System.nanoTime() - cutAt)).isGreaterThan(TTL.minusSeconds(1));
    await()
        .atMost(TTL.plusSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> result(b.acquire()));
    result(b.release());
  }

  @Test
  void withoutTheNodesSessionAcquireFailsWithinTheOperationTimeout() {
    ActorSystem noSession = node("node-e", null);
    extraNodes.add(noSession);
    Lease lease = lease(noSession, freshName());

    long start = System.nanoTime();
    assertThatThrownBy(() -> result(lease.acquire()))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(LeaseTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(lease.checkLease()).isFalse();
  }
}
