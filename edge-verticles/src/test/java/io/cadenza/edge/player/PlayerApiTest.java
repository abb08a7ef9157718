package io.cadenza.edge.player;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.edge.PlayerHarness;
import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.DeviceType;
import io.cadenza.playback.PlaybackState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The player endpoints on an in-memory session: Spotify's statuses, shapes and errors. */
class PlayerApiTest {

  private static final String ALL =
      "user-read-playback-state user-modify-playback-state user-read-currently-playing";

  private static final FakeCatalog CATALOG = new FakeCatalog();
  private static String album;
  private static PlayerHarness harness;

  @BeforeAll
  static void start() {
    album = CATALOG.album("Players", 4);
    AtomicLong seeds = new AtomicLong();
    harness =
        PlayerHarness.start(
            (parts, router) ->
                new PlayerApi(
                        parts.vertx(),
                        parts.sessions(),
                        new PlayerJson(CATALOG, "http://127.0.0.1:1"),
                        new PlayerCommands(
                            CATALOG, () -> UUID.randomUUID().toString(), seeds::incrementAndGet),
                        Clock.systemUTC())
                    .mount(router, BodyHandler.create()));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String user() {
    return "u" + UUID.randomUUID().toString().replace("-", "");
  }

  private static void connect(String user, String deviceId) {
    harness
        .sessions
        .apply(
            user,
            new Command.Connect(
                new Device(
                    deviceId,
                    "Phone " + deviceId,
                    DeviceType.SMARTPHONE,
                    50,
                    true,
                    true,
                    Instant.now())),
            OptionalLong.empty())
        .toCompletableFuture()
        .join();
  }

  private static HttpResponse<Buffer> call(String method, String path, String user, String body) {
    var request = harness.request(HttpMethod.valueOf(method), path, user, ALL);
    return body == null ? PlayerHarness.send(request) : PlayerHarness.send(request, body);
  }

  private static PlaybackState state(String user) {
    return harness.sessions.current(user);
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String reason) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("reason")).isEqualTo(reason);
  }

  private static void play(String user, String deviceId) {
    var played =
        call(
            "PUT",
            "/v1/me/player/play?device_id=" + deviceId,
            user,
            new JsonObject().put("context_uri", "spotify:album:" + album).encode());
    assertThat(played.statusCode()).as(played.bodyAsString()).isEqualTo(204);
  }

  @Test
  void nothingActiveAnswers204AndNoDevices() {
    String user = user();
    assertThat(call("GET", "/v1/me/player", user, null).statusCode()).isEqualTo(204);
    assertThat(call("GET", "/v1/me/player/currently-playing", user, null).statusCode())
        .isEqualTo(204);
    var devices = call("GET", "/v1/me/player/devices", user, null);
    assertThat(devices.statusCode()).isEqualTo(200);
    assertThat(devices.bodyAsJsonObject().getJsonArray("devices")).isEmpty();
  }

  @Test
  void playWithNoActiveDeviceIs404NoActiveDevice() {
    String user = user();
    connect(user, "phone");
    assertError(
        call(
            "PUT",
            "/v1/me/player/play",
            user,
            new JsonObject().put("context_uri", "spotify:album:" + album).encode()),
        404,
        "NO_ACTIVE_DEVICE");
    assertError(call("PUT", "/v1/me/player/pause", user, null), 404, "NO_ACTIVE_DEVICE");
  }

  @Test
  void playThenEveryCommandRoundTrips() {
    String user = user();
    connect(user, "phone");
    play(user, "phone");
    JsonObject playing = call("GET", "/v1/me/player", user, null).bodyAsJsonObject();
    assertThat(playing.getBoolean("is_playing")).isTrue();
    assertThat(playing.getJsonObject("device").getString("id")).isEqualTo("phone");
    assertThat(playing.getJsonObject("item").getString("name")).isEqualTo("Players 1");
    assertThat(playing.getJsonObject("context").getString("uri")).endsWith(album);

    assertThat(call("PUT", "/v1/me/player/pause", user, null).statusCode()).isEqualTo(204);
    assertThat(state(user).playing()).isFalse();
    assertError(call("PUT", "/v1/me/player/pause", user, null), 403, "ALREADY_PAUSED");
    assertThat(call("PUT", "/v1/me/player/play", user, "").statusCode()).isEqualTo(204);
    assertThat(state(user).playing()).isTrue();

    assertThat(call("PUT", "/v1/me/player/seek?position_ms=25000", user, null).statusCode())
        .isEqualTo(204);
    assertThat(state(user).positionAt(Instant.now())).isBetween(25_000L, 30_000L);
    assertThat(call("POST", "/v1/me/player/next", user, null).statusCode()).isEqualTo(204);
    JsonObject second =
        call("GET", "/v1/me/player/currently-playing", user, null).bodyAsJsonObject();
    assertThat(second.getJsonObject("item").getString("name")).isEqualTo("Players 2");
    assertThat(call("POST", "/v1/me/player/previous", user, null).statusCode()).isEqualTo(204);
    assertThat(call("PUT", "/v1/me/player/volume?volume_percent=35", user, null).statusCode())
        .isEqualTo(204);
    assertThat(state(user).device("phone").orElseThrow().volumePercent()).isEqualTo(35);
    assertThat(call("PUT", "/v1/me/player/shuffle?state=true", user, null).statusCode())
        .isEqualTo(204);
    assertThat(state(user).shuffle()).isTrue();
    assertThat(call("PUT", "/v1/me/player/repeat?state=track", user, null).statusCode())
        .isEqualTo(204);
    JsonObject after = call("GET", "/v1/me/player", user, null).bodyAsJsonObject();
    assertThat(after.getString("repeat_state")).isEqualTo("track");
    assertThat(after.getBoolean("shuffle_state")).isTrue();

    String queued = "spotify:track:" + CATALOG.albums.get(album).get(3).id();
    assertThat(call("POST", "/v1/me/player/queue?uri=" + queued, user, null).statusCode())
        .isEqualTo(204);
    JsonObject queue = call("GET", "/v1/me/player/queue", user, null).bodyAsJsonObject();
    assertThat(queue.getJsonArray("queue").getJsonObject(0).getString("name"))
        .isEqualTo("Players 4");
  }

  @Test
  void transferTakesExactlyOneDeviceElse400ChangingNothing() {
    String user = user();
    connect(user, "phone");
    connect(user, "laptop");
    play(user, "phone");
    long version = state(user).version();
    for (String body :
        new String[] {
          new JsonObject().put("device_ids", new JsonArray().add("phone").add("laptop")).encode(),
          new JsonObject().put("device_ids", new JsonArray()).encode(),
          "{}",
          "",
          "{\"device_ids\":\"laptop\"}"
        }) {
      var refused = call("PUT", "/v1/me/player", user, body);
      assertThat(refused.statusCode()).as(body).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getJsonObject("error").getInteger("status"))
          .isEqualTo(400);
    }
    assertThat(state(user).version()).isEqualTo(version);

    var moved =
        call(
            "PUT",
            "/v1/me/player",
            user,
            new JsonObject()
                .put("device_ids", new JsonArray().add("laptop"))
                .put("play", true)
                .encode());
    assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(204);
    assertThat(state(user).activeDeviceId()).isEqualTo("laptop");
    var devices = call("GET", "/v1/me/player/devices", user, null).bodyAsJsonObject();
    assertThat(devices.getJsonArray("devices")).hasSize(2);
  }

  @Test
  void anotherUsersDeviceIsNotFound() {
    String owner = user();
    connect(owner, "owners-speaker");
    String other = user();
    connect(other, "phone");
    play(other, "phone");
    assertError(
        call(
            "PUT",
            "/v1/me/player",
            other,
            new JsonObject().put("device_ids", new JsonArray().add("owners-speaker")).encode()),
        404,
        "DEVICE_NOT_FOUND");
    assertError(
        call("PUT", "/v1/me/player/pause?device_id=owners-speaker", other, null),
        404,
        "DEVICE_NOT_FOUND");
  }

  @Test
  void badInputIs400WithTheErrorObjectAndChangesNothing() {
    String user = user();
    connect(user, "phone");
    play(user, "phone");
    long version = state(user).version();
    int applied = harness.sessions.applied.get();
    String[][] bad = {
      {"PUT", "/v1/me/player/seek?position_ms=soon", null},
      {"PUT", "/v1/me/player/seek", null},
      {"PUT", "/v1/me/player/volume?volume_percent=101", null},
      {"PUT", "/v1/me/player/repeat?state=sometimes", null},
      {"PUT", "/v1/me/player/shuffle?state=maybe", null},
      {"POST", "/v1/me/player/queue?uri=spotify:album:" + album, null},
      {"PUT", "/v1/me/player/play", "{\"context_uri\":"},
      {"PUT", "/v1/me/player/play", "[1,2]"},
      {"PUT", "/v1/me/player/play", "{\"uris\":[\"spotify:track:!!\"]}"},
      {
        "PUT",
        "/v1/me/player/play",
        "{\"context_uri\":\"spotify:album:" + album + "\",\"offset\":{\"position\":99}}"
      },
      {"PUT", "/v1/me/player/pause?expected_version=-1", null},
    };
    for (String[] request : bad) {
      var refused = call(request[0], request[1], user, request[2]);
      assertThat(refused.statusCode()).as(request[1] + " " + request[2]).isEqualTo(400);
      JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getInteger("status")).isEqualTo(400);
      assertThat(error.getString("message")).isNotBlank();
    }
    assertThat(harness.sessions.applied.get()).isEqualTo(applied);
    assertThat(state(user).version()).isEqualTo(version);
  }

  @Test
  void anUnknownAlbumIs404() {
    String user = user();
    connect(user, "phone");
    var refused =
        call(
            "PUT",
            "/v1/me/player/play?device_id=phone",
            user,
            "{\"context_uri\":\"spotify:album:0000000000000000000000\"}");
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(404);
    assertThat(state(user).current()).isNull();
  }

  @Test
  void aJsonBodyWithoutContentTypeAndAnEmptyDeviceIdAreTaken() {
    String user = user();
    connect(user, "phone");
    play(user, "phone");
    var request = harness.request(HttpMethod.PUT, "/v1/me/player/play?device_id=", user, ALL);
    request.headers().remove("Content-Type");
    var played =
        PlayerHarness.send(
            request,
            "{\"uris\":[\"spotify:track:" + CATALOG.albums.get(album).get(2).id() + "\"]}");
    assertThat(played.statusCode()).as(played.bodyAsString()).isEqualTo(204);
    assertThat(state(user).current().uri()).endsWith(CATALOG.albums.get(album).get(2).id());
  }

  @Test
  void aStaleExpectedVersionIs409VersionConflict() {
    String user = user();
    connect(user, "phone");
    play(user, "phone");
    long version = state(user).version();
    assertError(
        call("PUT", "/v1/me/player/pause?expected_version=" + (version - 1), user, null),
        409,
        "VERSION_CONFLICT");
    assertThat(state(user).playing()).isTrue();
    assertThat(
            call("PUT", "/v1/me/player/pause?expected_version=" + version, user, null).statusCode())
        .isEqualTo(204);
  }

  @Test
  void commandsNeedTheModifyScopeAndReadsTheirs() {
    String user = user();
    var read =
        harness.request(HttpMethod.PUT, "/v1/me/player/pause", user, "user-read-playback-state");
    assertThat(PlayerHarness.send(read).statusCode()).isEqualTo(403);
    var playingOnly =
        harness.request(
            HttpMethod.GET, "/v1/me/player/currently-playing", user, "user-read-currently-playing");
    assertThat(PlayerHarness.send(playingOnly).statusCode()).isEqualTo(204);
    var noScope =
        harness.request(HttpMethod.GET, "/v1/me/player", user, "user-read-currently-playing");
    assertThat(PlayerHarness.send(noScope).statusCode()).isEqualTo(403);
  }
}
