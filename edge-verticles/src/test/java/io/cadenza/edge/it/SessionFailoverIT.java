package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.ClusterShardingQuery;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.TestNodes;
import io.cadenza.edge.node.CadenzaNode;
import io.cadenza.session.UserSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on different loopback addresses forming one Akka and one Hazelcast cluster: node 1 is a
 * child JVM (so that it can be killed with SIGKILL), node 2 runs in this JVM. A user's device A is
 * on node 1 and device B on node 2, the user's session lives on node 1; playback moves from A to B
 * with one versioned state on both sockets and a continuous position; then node 1 is killed and the
 * session comes back on node 2 from its last acknowledged state, and B carries on.
 */
class SessionFailoverIT {

  private static final String HOST_1 = "127.0.0.2";
  private static final String HOST_2 = "127.0.0.3";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private Process process;
  private Path node1Log;
  private CadenzaNode node2;
  private String keyspace;
  private String url1;
  private String url2;
  private final List<DeviceClient> devices = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    devices.forEach(DeviceClient::close);
    if (process != null) {
      process.destroyForcibly();
    }
    if (node2 != null) {
      try {
        TestNodes.dropKeyspace(
            node2.infrastructure().cql(), node2.infrastructure().settings().cql().keyspace());
      } finally {
        node2.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void playbackMovesAcrossNodesAndSurvivesTheLossOfTheSessionsNode() throws Exception {
    startTwoNodes();
    TestAlbum album = TestAlbum.write(node2, keyspace, 2, 600_000);
    Api api = new Api(url1);

    // A user whose session lives on node 1 (sessions are spread over both nodes).
    UserOnNode1 user = userWithSessionOnNode1(api, url1, "device-a", "Phone", "Smartphone");
    String userId = user.id();
    DeviceClient a = user.device();
    DeviceClient b = track(DeviceClient.connect(url2, user.token()));
    b.hello("device-b", "Laptop", "Computer");

    // Play on A, then transfer to B.
    JsonObject played =
        a.command(
            "play",
            new JsonObject()
                .put("uris", new JsonArray().add(album.trackUri(0)).add(album.trackUri(1)))
                .put("position_ms", 30_000));
    assertThat(played.getString("type")).as(played.encode()).isEqualTo("ack");
    JsonObject playingOnA =
        a.awaitState(played.getLong("version"), WAIT).frame().getJsonObject("state");
    b.awaitState(played.getLong("version"), WAIT);
    // Let the position run, so that continuity is measured on a moving position (not a wait).
    Thread.sleep(500);

    JsonObject transferred =
        a.command("transfer", new JsonObject().put("device_ids", new JsonArray().add("device-b")));
    assertThat(transferred.getString("type")).as(transferred.encode()).isEqualTo("ack");
    long transferVersion = transferred.getLong("version");
    JsonObject onA = a.awaitState(transferVersion, WAIT).frame().getJsonObject("state");
    JsonObject onB = b.awaitState(transferVersion, WAIT).frame().getJsonObject("state");
    assertThat(onA.getLong("version")).isEqualTo(onB.getLong("version"));
    assertThat(onA.getJsonObject("device").getString("id")).isEqualTo("device-b");
    assertThat(onB.getJsonObject("device").getString("id")).isEqualTo("device-b");
    assertThat(onB.getString("item_id")).isEqualTo(playingOnA.getString("item_id"));
    assertThat(onB.getBoolean("is_playing")).isTrue();
    long continuity =
        (onB.getLong("progress_ms") - onB.getLong("timestamp"))
            - (playingOnA.getLong("progress_ms") - playingOnA.getLong("timestamp"));
    System.out.printf("Position continuity error across nodes: %d ms%n", continuity);
    assertThat(Math.abs(continuity)).as("position continuity error, ms").isLessThanOrEqualTo(50);

    // Kill node 1, which holds the session; B carries on through node 2.
    long killed = System.currentTimeMillis();
    process.destroyForcibly(); // SIGKILL
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    // B asks to pause every 500 ms, as a device retrying would, without waiting for the earlier
    // attempts' own timeouts (cadenza.session.ask-timeout); the first answer from the session
    // that came back counts.
    JsonObject answer = null;
    Map<String, Long> sent = new HashMap<>();
    while (answer == null && System.currentTimeMillis() - killed < 20_000) {
      String id = "pause-" + sent.size();
      sent.put(id, System.currentTimeMillis());
      b.send(new JsonObject().put("type", "command").put("id", id).put("name", "pause"));
      try {
        JsonObject reply =
            b.await(
                    null,
                    f ->
                        sent.containsKey(f.getString("id"))
                            && ("ack".equals(f.getString("type"))
                                || "ALREADY_PAUSED".equals(f.getString("reason"))),
                    Duration.ofMillis(500))
                .frame();
        answer = reply;
      } catch (AssertionError noAnswerYet) {
        // next attempt
      }
    }
    long sentAt = answer == null ? 0 : sent.get(answer.getString("id"));
    long back = System.currentTimeMillis() - killed;
    System.out.printf("Session back on node 2 %d ms after the SIGKILL of node 1%n", back);
    assertThat(answer).isNotNull();
    assertThat(answer.getString("type")).as(answer.encode()).isEqualTo("ack");
    assertThat(back).as("ms from SIGKILL to the session answering").isLessThanOrEqualTo(10_000);
    assertThat(hostsSession(node2, userId)).isTrue();

    long pauseVersion = answer.getLong("version");
    assertThat(pauseVersion).isGreaterThan(transferVersion);
    JsonObject paused = b.awaitState(pauseVersion, WAIT).frame().getJsonObject("state");
    assertThat(paused.getBoolean("is_playing")).isFalse();
    assertThat(paused.getJsonObject("device").getString("id")).isEqualTo("device-b");
    assertThat(paused.getString("item_id")).isEqualTo(onB.getString("item_id"));
    // Restored from the last acknowledged state, the position ran on from the transfer.
    long expectedAtSend = onB.getLong("progress_ms") + (sentAt - onB.getLong("timestamp"));
    long expectedNow =
        onB.getLong("progress_ms") + (System.currentTimeMillis() - onB.getLong("timestamp"));
    assertThat(paused.getLong("progress_ms")).isBetween(expectedAtSend - 50, expectedNow + 50);
  }

  /**
   * A node stopped the way an operator stops it (SIGTERM) leaves the cluster: the other member
   * never sees it unreachable (so the split-brain resolver takes no decision, which with two
   * members could down the survivor), and the sessions it held move over with their last state.
   */
  @Test
  void aNodeStoppedWithSigtermLeavesAndItsSessionsMoveToTheOther() throws Exception {
    startTwoNodes();
    TestAlbum album = TestAlbum.write(node2, keyspace, 1, 600_000);
    Api api = new Api(url2);

    // A user with one device, on node 2, whose session lives on node 1.
    UserOnNode1 user = userWithSessionOnNode1(api, url2, "device-b", "Laptop", "Computer");
    String userId = user.id();
    DeviceClient b = user.device();
    JsonObject played =
        b.command(
            "play",
            new JsonObject()
                .put("uris", new JsonArray().add(album.trackUri(0)))
                .put("position_ms", 10_000));
    assertThat(played.getString("type")).as(played.encode()).isEqualTo("ack");
    b.awaitState(played.getLong("version"), WAIT);

    long stopped = System.currentTimeMillis();
    process.destroy(); // SIGTERM
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("node 1 exited after SIGTERM").isTrue();
    System.out.printf(
        "Node 1 stopped %d ms after its SIGTERM%n", System.currentTimeMillis() - stopped);
    String log = Files.readString(node1Log);
    assertThat(log).as("node 1's log").contains("Exiting completed").doesNotContain("UNREACHABLE");
    assertThat(node2.infrastructure().sessionCluster().isUp()).isTrue();
    await().atMost(WAIT).until(() -> node2.infrastructure().sessionCluster().membersUp() == 1);
    assertThat(node2.infrastructure().sessionCluster().unreachable()).isZero();

    // The session answers on node 2 with the state node 1 handed over.
    JsonObject paused = b.command("pause", new JsonObject());
    assertThat(paused.getString("type")).as(paused.encode()).isEqualTo("ack");
    assertThat(paused.getLong("version")).isGreaterThan(played.getLong("version"));
    assertThat(hostsSession(node2, userId)).isTrue();
    JsonObject state = b.awaitState(paused.getLong("version"), WAIT).frame().getJsonObject("state");
    assertThat(state.getBoolean("is_playing")).isFalse();
    assertThat(state.getJsonObject("item").getString("id")).isEqualTo(album.trackIds().get(0));
    assertThat(state.getLong("progress_ms")).isGreaterThanOrEqualTo(10_000);
  }

  /**
   * Node 1 in a child JVM on {@value #HOST_1}, node 2 in this JVM on {@value #HOST_2} joining it;
   * returns once both are Up in one Akka and one Hazelcast cluster.
   */
  private void startTwoNodes() throws Exception {
    String cluster = "failover-" + UUID.randomUUID().toString().substring(0, 8);
    int akka1 = TestNodes.freePort();
    int hz1 = TestNodes.freePort();
    int hz2 = TestNodes.freePort();
    String members = HOST_1 + ":" + hz1 + "," + HOST_2 + ":" + hz2;

    // Node 1: a child JVM on 127.0.0.2.
    Map<String, String> env = TestNodes.environment("failover-1");
    keyspace = env.get("CADENZA_CQL_KEYSPACE");
    env.put("CADENZA_HTTP_HOST", HOST_1);
    env.put("CADENZA_AKKA_HOST", HOST_1);
    env.put("CADENZA_AKKA_PORT", String.valueOf(akka1));
    env.put("CADENZA_HAZELCAST_HOST", HOST_1);
    env.put("CADENZA_HAZELCAST_PORT", String.valueOf(hz1));
    env.put("CADENZA_HAZELCAST_MEMBERS", members);
    env.put("CADENZA_EVENT_BUS_HOST", HOST_1);
    url1 = "http://" + HOST_1 + ":" + env.get("CADENZA_HTTP_PORT");
    process = startNode(env, cluster);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .failFast(() -> !process.isAlive())
        .until(() -> TestNodes.statusOf(url1 + "/ready") == 200);

    // Node 2: in this JVM on 127.0.0.3, joining node 1.
    Map<String, String> extra = new HashMap<>();
    extra.put("cadenza.http.host", HOST_2);
    extra.put("cadenza.cql.keyspace", keyspace);
    extra.put("cadenza.cluster.akka.host", HOST_2);
    extra.put("cadenza.cluster.akka.port", String.valueOf(TestNodes.freePort()));
    extra.put("cadenza.cluster.akka.seed-nodes", "akka://cadenza@" + HOST_1 + ":" + akka1);
    extra.put("cadenza.cluster.hazelcast.cluster-name", cluster);
    extra.put("cadenza.cluster.hazelcast.host", HOST_2);
    extra.put("cadenza.cluster.hazelcast.port", String.valueOf(hz2));
    extra.put("cadenza.cluster.hazelcast.members", members);
    extra.put("cadenza.cluster.event-bus.host", HOST_2);
    CadenzaSettings settings2 = TestNodes.settings("failover-2", extra);
    node2 =
        CadenzaNode.start(settings2)
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> node2.infrastructure().sessionCluster().membersUp() == 2);
    assertThat(node2.infrastructure().hazelcast().getCluster().getMembers()).hasSize(2);
    url2 = node2.url();
    assertThat(url2).startsWith("http://" + HOST_2 + ":");
  }

  /** A user, its token, and its first device (connected to {@code url} and announced). */
  private record UserOnNode1(String id, String token, DeviceClient device) {}

  /**
   * Signs users up until one's session lives on node 1 (sessions are spread over both nodes by user
   * id), each announcing a device on {@code url} (which starts the session).
   */
  private UserOnNode1 userWithSessionOnNode1(
      Api api, String url, String deviceId, String name, String type) throws Exception {
    for (int attempt = 0; attempt < 12; attempt++) {
      Api.Account account = api.signUp();
      String token = api.logIn(account, DeviceGatewayIT.SCOPES).accessToken();
      DeviceClient candidate = track(DeviceClient.connect(url, token));
      candidate.hello(deviceId, name, type);
      if (!hostsSession(node2, account.id())) {
        return new UserOnNode1(account.id(), token, candidate);
      }
      candidate.close();
    }
    throw new AssertionError("no user of 12 had its session on node 1");
  }

  private DeviceClient track(DeviceClient device) {
    devices.add(device);
    return device;
  }

  /** Whether the user's session entity is alive on {@code node}. */
  private static boolean hostsSession(CadenzaNode node, String userId) throws Exception {
    var system = node.infrastructure().sessionCluster().system();
    var state =
        AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(UserSession.ENTITY_TYPE_KEY, replyTo),
                Duration.ofSeconds(5),
                system.scheduler())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return state.getShards().stream().anyMatch(shard -> shard.getEntityIds().contains(userId));
  }

  private Process startNode(Map<String, String> env, String cluster) throws Exception {
    Path log = Files.createTempFile(Path.of("target"), "failover-node-1", ".log");
    node1Log = log;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + new File("../bin/node-jvm.options").getAbsolutePath());
    command.add("-Dcadenza.cluster.hazelcast.cluster-name=" + cluster);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.cadenza.edge.Main");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("CADENZA_LOG_FORMAT", "text");
    return builder.start();
  }
}
