package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.edge.it.Api.Response;
import io.cadenza.playback.PlaybackState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Spotify's player endpoints on a real node and its session cluster: statuses, shapes and error
 * reasons as Spotify answers them, refusals that change nothing, and REST commands that the user's
 * WebSocket devices see.
 */
@ExtendWith(SharedNode.class)
class PlayerApiIT {

  private static final String SCOPES =
      "user-read-playback-state user-modify-playback-state user-read-currently-playing";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SharedNode.Running node;
  private static Api api;
  private static TestAlbum album;

  @BeforeAll
  static void catalog() throws Exception {
    node = SharedNode.running();
    api = new Api(node.url());
    album = TestAlbum.write(node.node(), node.settings().cql().keyspace(), 4, 300_000);
  }

  private static SessionUser user() {
    return SessionUser.signUp(api, SCOPES);
  }

  private static PlaybackState state(SessionUser user) throws Exception {
    return user.state(node);
  }

  private static Response call(String method, String path, SessionUser user, String json) {
    byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    return api.send(
        method,
        path,
        json == null ? null : "application/json",
        body,
        "Authorization",
        "Bearer " + user.token());
  }

  private static void assertReason(Response response, int status, String reason) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.errorMessage()).isNotBlank();
    assertThat(response.json().getJsonObject("error").getString("reason")).isEqualTo(reason);
  }

  private static void playAlbumOn(SessionUser user, String deviceId) {
    Response played =
        call(
            "PUT",
            "/v1/me/player/play?device_id=" + deviceId,
            user,
            new JsonObject().put("context_uri", "spotify:album:" + album.albumId()).encode());
    assertThat(played.status()).as(played.body()).isEqualTo(204);
  }

  @Test
  void nothingActiveIs204AndCommandsAre404NoActiveDevice() {
    SessionUser user = user();
    assertThat(call("GET", "/v1/me/player", user, null).status()).isEqualTo(204);
    assertThat(call("GET", "/v1/me/player/currently-playing", user, null).status()).isEqualTo(204);
    Response devices = call("GET", "/v1/me/player/devices", user, null);
    assertThat(devices.status()).isEqualTo(200);
    assertThat(devices.json().getJsonArray("devices")).isEmpty();
    assertReason(call("PUT", "/v1/me/player/pause", user, null), 404, "NO_ACTIVE_DEVICE");
    assertReason(
        call(
            "PUT",
            "/v1/me/player/play",
            user,
            new JsonObject().put("context_uri", album.albumUri()).encode()),
        404,
        "NO_ACTIVE_DEVICE");
  }

  @Test
  void everyCommandRoundTripsAndTheDeviceSeesEachState() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      playAlbumOn(user, "phone");
      long played = state(user).version();
      JsonObject seen = phone.awaitState(played, WAIT).frame().getJsonObject("state");
      assertThat(seen.getBoolean("is_playing")).isTrue();
      assertThat(seen.getJsonObject("device").getString("id")).isEqualTo("phone");

      JsonObject player = call("GET", "/v1/me/player", user, null).json();
      assertThat(player.getJsonObject("item").getString("id")).isEqualTo(album.trackIds().get(0));
      assertThat(player.getJsonObject("context").getString("uri")).isEqualTo(album.albumUri());
      assertThat(player.getLong("version")).isEqualTo(played);

      assertThat(call("PUT", "/v1/me/player/pause", user, null).status()).isEqualTo(204);
      JsonObject paused = phone.awaitState(played + 1, WAIT).frame().getJsonObject("state");
      assertThat(paused.getBoolean("is_playing")).isFalse();
      assertReason(call("PUT", "/v1/me/player/pause", user, null), 403, "ALREADY_PAUSED");
      // An empty PUT /play, no body and no content type, resumes (as Spotify's).
      assertThat(api.send("PUT", "/v1/me/player/play", null, null, auth(user)).status())
          .isEqualTo(204);
      assertThat(state(user).playing()).isTrue();

      assertThat(call("PUT", "/v1/me/player/seek?position_ms=60000", user, null).status())
          .isEqualTo(204);
      JsonObject playing = call("GET", "/v1/me/player/currently-playing", user, null).json();
      assertThat(playing.getLong("progress_ms")).isBetween(60_000L, 70_000L);
      assertThat(call("POST", "/v1/me/player/next", user, null).status()).isEqualTo(204);
      assertThat(state(user).current().uri()).isEqualTo(album.trackUri(1));
      assertThat(call("POST", "/v1/me/player/previous", user, null).status()).isEqualTo(204);
      assertThat(state(user).current().uri()).isEqualTo(album.trackUri(0));
      assertThat(call("PUT", "/v1/me/player/volume?volume_percent=30", user, null).status())
          .isEqualTo(204);
      assertThat(call("PUT", "/v1/me/player/shuffle?state=true", user, null).status())
          .isEqualTo(204);
      assertThat(call("PUT", "/v1/me/player/repeat?state=context", user, null).status())
          .isEqualTo(204);
      Response queued = call("POST", "/v1/me/player/queue?uri=" + album.trackUri(3), user, null);
      assertThat(queued.status()).as(queued.body()).isEqualTo(204);

      JsonObject now = call("GET", "/v1/me/player", user, null).json();
      assertThat(now.getJsonObject("device").getInteger("volume_percent")).isEqualTo(30);
      assertThat(now.getBoolean("shuffle_state")).isTrue();
      assertThat(now.getString("repeat_state")).isEqualTo("context");
      JsonObject queue = call("GET", "/v1/me/player/queue", user, null).json();
      assertThat(queue.getJsonObject("currently_playing").getString("id"))
          .isEqualTo(album.trackIds().get(0));
      assertThat(queue.getJsonArray("queue").getJsonObject(0).getString("id"))
          .isEqualTo(album.trackIds().get(3));
      // The device saw the last of these states.
      long last = now.getLong("version");
      JsonObject pushed = phone.awaitState(last, WAIT).frame().getJsonObject("state");
      assertThat(pushed.getString("repeat_state")).isEqualTo("context");
    }
  }

  @Test
  void transferTakesExactlyOneDeviceElse400AndMovesPlayback() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token());
        DeviceClient laptop = DeviceClient.connect(node.url(), user.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      laptop.hello("laptop", "Laptop", "Computer");
      playAlbumOn(user, "phone");
      long version = state(user).version();
      for (String body :
          new String[] {
            new JsonObject().put("device_ids", new JsonArray().add("phone").add("laptop")).encode(),
            new JsonObject().put("device_ids", new JsonArray()).encode(),
            "{}",
            "{\"device_ids\":\"laptop\"}"
          }) {
        Response refused = call("PUT", "/v1/me/player", user, body);
        assertThat(refused.status()).as(body).isEqualTo(400);
        assertThat(refused.errorMessage()).contains("device_ids");
      }
      assertThat(state(user).version()).isEqualTo(version);

      Response moved =
          call(
              "PUT",
              "/v1/me/player",
              user,
              new JsonObject().put("device_ids", new JsonArray().add("laptop")).encode());
      assertThat(moved.status()).as(moved.body()).isEqualTo(204);
      JsonObject seen = laptop.awaitState(version + 1, WAIT).frame().getJsonObject("state");
      assertThat(seen.getJsonObject("device").getString("id")).isEqualTo("laptop");
      Response devices = call("GET", "/v1/me/player/devices", user, null);
      assertThat(devices.json().getJsonArray("devices")).hasSize(2);
    }
  }

  @Test
  void anotherUsersDeviceIs404DeviceNotFound() throws Exception {
    SessionUser owner = user();
    SessionUser other = user();
    try (DeviceClient speaker = DeviceClient.connect(node.url(), owner.token());
        DeviceClient phone = DeviceClient.connect(node.url(), other.token())) {
      speaker.hello("owners-speaker", "Speaker", "Speaker");
      phone.hello("phone", "Phone", "Smartphone");
      playAlbumOn(other, "phone");
      long ownerVersion = state(owner).version();
      assertReason(
          call(
              "PUT",
              "/v1/me/player",
              other,
              new JsonObject().put("device_ids", new JsonArray().add("owners-speaker")).encode()),
          404,
          "DEVICE_NOT_FOUND");
      assertReason(
          call("PUT", "/v1/me/player/play?device_id=owners-speaker", other, null),
          404,
          "DEVICE_NOT_FOUND");
      assertThat(state(owner).version()).isEqualTo(ownerVersion);
      assertThat(state(owner).activeDeviceId()).isNull();
    }
  }

  @Test
  void badInputIs400WithTheErrorObjectAndChangesNothing() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      playAlbumOn(user, "phone");
      PlaybackState before = state(user);
      String[][] bad = {
        {"PUT", "/v1/me/player/seek?position_ms=soon", null},
        {"PUT", "/v1/me/player/seek", null},
        {"PUT", "/v1/me/player/volume?volume_percent=101", null},
        {"PUT", "/v1/me/player/repeat?state=sometimes", null},
        {"PUT", "/v1/me/player/shuffle?state=maybe", null},
        {"POST", "/v1/me/player/queue", null},
        {"POST", "/v1/me/player/queue?uri=spotify:album:" + album.albumId(), null},
        {"PUT", "/v1/me/player/play", "{\"context_uri\":"},
        {"PUT", "/v1/me/player/play", "[\"spotify:album:x\"]"},
        {"PUT", "/v1/me/player/play", "{\"uris\":\"spotify:track:x\"}"},
        {"PUT", "/v1/me/player/play", "{\"context_uri\":\"spotify:album:!!\"}"},
        {
          "PUT",
          "/v1/me/player/play",
          "{\"context_uri\":\"" + album.albumUri() + "\",\"offset\":{\"position\":40}}"
        },
        {"PUT", "/v1/me/player/pause?expected_version=soon", null},
      };
      for (String[] request : bad) {
        Response refused = call(request[0], request[1], user, request[2]);
        assertThat(refused.status()).as(request[1] + " " + request[2]).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/json");
        assertThat(refused.errorMessage()).isNotBlank();
      }
      PlaybackState after = state(user);
      assertThat(after.version()).isEqualTo(before.version());
      assertThat(after.current()).isEqualTo(before.current());
    }
  }

  @Test
  void aStaleExpectedVersionIs409VersionConflict() throws Exception {
    SessionUser user = user();
    try (DeviceClient phone = DeviceClient.connect(node.url(), user.token())) {
      phone.hello("phone", "Phone", "Smartphone");
      playAlbumOn(user, "phone");
      long version = state(user).version();
      assertReason(
          call("PUT", "/v1/me/player/pause?expected_version=" + (version - 1), user, null),
          409,
          "VERSION_CONFLICT");
      assertThat(state(user).playing()).isTrue();
      assertThat(
              call("PUT", "/v1/me/player/pause?expected_version=" + version, user, null).status())
          .isEqualTo(204);
    }
  }

  @Test
  void commandsNeedTheModifyScope() {
    Api.Account account = api.signUp();
    String readOnly = api.logIn(account, "user-read-playback-state").accessToken();
    Response refused =
        api.send("PUT", "/v1/me/player/pause", null, null, "Authorization", "Bearer " + readOnly);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorMessage()).isEqualTo("Insufficient client scope");
    assertThat(api.get("/v1/me/player", readOnly).status()).isEqualTo(204);
  }

  private static String[] auth(SessionUser user) {
    return new String[] {"Authorization", "Bearer " + user.token()};
  }
}
