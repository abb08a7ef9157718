package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.edge.connect.CloseCodes;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The device WebSocket gateway on one node: hello and welcome, commands with acks and errors, the
 * state pushed to every device of the user, time sync, and every kind of bad frame answered without
 * touching the session or the user's other sockets.
 */
@ExtendWith(SharedNode.class)
class DeviceGatewayIT {

  static final String SCOPES = "user-read-playback-state user-modify-playback-state";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SharedNode.Running node;
  private static Api api;
  private static TestAlbum album;

  @BeforeAll
  static void catalog() throws Exception {
    node = SharedNode.running();
    api = new Api(node.url());
    album = TestAlbum.write(node.node(), node.settings().cql().keyspace(), 3, 300_000);
  }

  private static SessionUser user() {
    return SessionUser.signUp(api, SCOPES);
  }

  private static long version(SessionUser user) throws Exception {
    return user.state(node).version();
  }

  @Test
  void helloIsWelcomedWithTheStateAndTheDeviceList() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token())) {
      JsonObject welcome = phone.hello("phone", "Phone", "Smartphone");
      assertThat(welcome.getString("device_id")).isEqualTo("phone");
      assertThat(welcome.getLong("server_time"))
          .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
      JsonObject state = welcome.getJsonObject("state");
      assertThat(state.getLong("version")).isEqualTo(version(user));
      assertThat(state.getValue("device")).isNull();
      assertThat(state.getBoolean("is_playing")).isFalse();
      JsonArray devices = phone.await("devices", f -> true, WAIT).frame().getJsonArray("devices");
      assertThat(devices).hasSize(1);
      assertThat(devices.getJsonObject(0).getString("name")).isEqualTo("Phone");
      assertThat(devices.getJsonObject(0).getString("type")).isEqualTo("Smartphone");
    }
  }

  @Test
  void everyDeviceSeesTheSameVersionedStateAndATransferKeepsThePosition() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token());
        DeviceClient laptop = DeviceClient.connect(node.url(), user.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      laptop.hello("laptop", "Laptop", "Computer");

      JsonObject played =
          phone.command(
              "play",
              new JsonObject()
                  .put("uris", new JsonArray().add(album.trackUri(0)).add(album.trackUri(1)))
                  .put("position_ms", 60_000));
      assertThat(played.getString("type")).as(played.encode()).isEqualTo("ack");
      long playVersion = played.getLong("version");
      JsonObject onPhone = phone.awaitState(playVersion, WAIT).frame().getJsonObject("state");
      JsonObject onLaptop = laptop.awaitState(playVersion, WAIT).frame().getJsonObject("state");
      assertThat(onPhone.getJsonObject("device").getString("id")).isEqualTo("phone");
      assertThat(onPhone.getBoolean("is_playing")).isTrue();
      assertThat(onLaptop.getLong("version")).isEqualTo(onPhone.getLong("version"));
      assertThat(onPhone.getJsonObject("item").getString("id")).isEqualTo(album.trackIds().get(0));

      // Let the position run, so that continuity is measured on a moving position (not a wait).
      Thread.sleep(300);
      JsonObject transferred =
          phone.command(
              "transfer", new JsonObject().put("device_ids", new JsonArray().add("laptop")));
      assertThat(transferred.getString("type")).as(transferred.encode()).isEqualTo("ack");
      long transferVersion = transferred.getLong("version");
      assertThat(transferVersion).isGreaterThan(playVersion);
      JsonObject phoneAfter =
          phone.awaitState(transferVersion, WAIT).frame().getJsonObject("state");
      JsonObject laptopAfter =
          laptop.awaitState(transferVersion, WAIT).frame().getJsonObject("state");
      assertThat(laptopAfter.getLong("version"))
          .as("phone saw %s, laptop saw %s", phone.seen(), laptop.seen())
          .isEqualTo(phoneAfter.getLong("version"));
      assertThat(laptopAfter.getJsonObject("device").getString("id")).isEqualTo("laptop");
      assertThat(laptopAfter.getBoolean("is_playing")).isTrue();
      assertThat(laptopAfter.getString("item_id")).isEqualTo(onPhone.getString("item_id"));
      // Positions run at 1 ms per ms from (progress_ms, timestamp): the two lines are one.
      long before = onPhone.getLong("progress_ms") - onPhone.getLong("timestamp");
      long after = laptopAfter.getLong("progress_ms") - laptopAfter.getLong("timestamp");
      assertThat(Math.abs(after - before))
          .as("position continuity error, ms")
          .isLessThanOrEqualTo(50);
    }
  }

  @Test
  void badFramesGetErrorFramesAndChangeNothing() throws Exception {
    SessionUser user = user();
    SessionUser other = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token());
        DeviceClient speaker = DeviceClient.connect(node.url(), user.token());
        DeviceClient stranger = DeviceClient.connect(node.url(), other.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      speaker.hello("speaker", "Speaker", "Speaker");
      stranger.hello("strangers-tv", "TV", "TV");
      long version = version(user);

      phone.sendText("{not json");
      assertError(phone, null, 400, "BAD_FRAME");
      phone.sendText("[1,2,3]");
      assertError(phone, null, 400, "BAD_FRAME");
      phone.send(new JsonObject().put("type", "dance").put("id", "d1"));
      assertError(phone, "d1", 400, "UNKNOWN_TYPE");
      phone.send(new JsonObject().put("type", "command").put("id", "x1").put("name", "explode"));
      assertError(phone, "x1", 400, "BAD_FRAME");
      JsonObject seek = phone.command("seek", new JsonObject().put("position_ms", -5));
      assertThat(seek.getString("type")).isEqualTo("error");
      assertThat(seek.getInteger("status")).isEqualTo(400);
      // Another user's device is not one of this user's.
      JsonObject foreign =
          phone.command(
              "transfer", new JsonObject().put("device_ids", new JsonArray().add("strangers-tv")));
      assertThat(foreign.getString("type")).as(foreign.encode()).isEqualTo("error");
      assertThat(foreign.getInteger("status")).isEqualTo(404);
      assertThat(foreign.getString("reason")).isEqualTo("DEVICE_NOT_FOUND");
      JsonObject nothing = phone.command("pause", new JsonObject());
      assertThat(nothing.getString("reason")).isEqualTo("NO_ACTIVE_DEVICE");

      assertThat(version(user)).isEqualTo(version);
      // The socket still works, and the user's other devices heard of nothing.
      phone.send(new JsonObject().put("type", "time_sync").put("t0", 1));
      phone.await("time_sync", f -> true, WAIT);
      assertThat(speaker.isClosed()).isFalse();
      assertThat(phone.isClosed()).isFalse();
    }
  }

  @Test
  void aCommandForAnOlderVersionIsRefused() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      long version = version(user);
      phone.send(
          new JsonObject()
              .put("type", "command")
              .put("id", "v1")
              .put("name", "play")
              .put("args", new JsonObject().put("uris", new JsonArray().add(album.trackUri(0))))
              .put("expected_version", version - 1));
      assertError(phone, "v1", 409, "VERSION_CONFLICT");
      assertThat(version(user)).isEqualTo(version);
    }
  }

  @Test
  void anOversizedFrameClosesItsSocketOnly() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token());
        DeviceClient laptop = DeviceClient.connect(node.url(), user.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      laptop.hello("laptop", "Laptop", "Computer");
      String huge =
          new JsonObject()
              .put("type", "time_sync")
              .put("t0", 1)
              .put("pad", "x".repeat(node.settings().connect().maxFrameBytes() + 1))
              .encode();
      phone.sendText(huge);
      assertThat(phone.awaitClose(WAIT)).isEqualTo(CloseCodes.TOO_BIG);
      // The laptop hears the phone leave, and goes on.
      laptop.await("devices", f -> f.getJsonArray("devices").size() == 1, WAIT);
      laptop.send(new JsonObject().put("type", "time_sync").put("t0", 1));
      laptop.await("time_sync", f -> true, WAIT);
    }
  }

  @Test
  void repeatedBadFramesCloseTheSocket() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      for (int i = 0; i <= node.settings().connect().maxBadFrames(); i++) {
        phone.sendText("nonsense " + i);
      }
      assertThat(phone.awaitClose(WAIT)).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void aNewSocketOfTheSameDeviceReplacesTheOld() throws Exception {
    SessionUser user = user();
    try (DeviceClient first = DeviceClient.connect(node.url(), user.token());
        DeviceClient second = DeviceClient.connect(node.url(), user.token())) {
      first.hello("phone", "Phone", "Smartphone");
      second.hello("phone", "Phone", "Smartphone");
      assertThat(first.awaitClose(WAIT)).isEqualTo(CloseCodes.REPLACED);
      // The device stays in the session: the replaced socket does not take it offline.
      org.awaitility.Awaitility.await()
          .during(Duration.ofMillis(300))
          .atMost(WAIT)
          .until(() -> user.state(node).device("phone").filter(d -> d.online()).isPresent());
    }
  }

  @Test
  void timeSyncAnswersWithTheServersReceiveAndSendTimes() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token())) {
      long t0 = System.currentTimeMillis();
      phone.send(new JsonObject().put("type", "time_sync").put("t0", t0));
      DeviceClient.Received answer = phone.await("time_sync", f -> true, WAIT);
      JsonObject sync = answer.frame();
      assertThat(sync.getLong("t0")).isEqualTo(t0);
      // Same machine, same clock: the server's times lie within the round trip.
      assertThat(sync.getLong("t1")).isBetween(t0, answer.atMs());
      assertThat(sync.getLong("t2")).isBetween(sync.getLong("t1"), answer.atMs());
    }
  }

  @Test
  void anUpgradeWithoutAValidTokenIsRefused() {
    assertThatThrownBy(() -> DeviceClient.connect(node.url(), "not-a-token"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(401));
  }

  private static void assertError(DeviceClient device, String id, int status, String reason)
      throws InterruptedException {
    JsonObject error =
        device
            .await(
                "error",
                f -> id == null ? !f.containsKey("id") : id.equals(f.getString("id")),
                WAIT)
            .frame();
    assertThat(error.getInteger("status")).as(error.encode()).isEqualTo(status);
    assertThat(error.getString("reason")).as(error.encode()).isEqualTo(reason);
    assertThat(error.getString("message")).isNotBlank();
  }
}
