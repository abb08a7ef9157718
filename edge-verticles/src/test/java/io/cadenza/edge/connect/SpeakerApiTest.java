package io.cadenza.edge.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.edge.PlayerHarness;
import io.cadenza.edge.player.FakeCatalog;
import io.cadenza.edge.player.PlayerCommands;
import io.cadenza.edge.player.PlayerJson;
import io.cadenza.playback.Event;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The speaker API on an in-memory session: hello, long polls, reports and commands. */
class SpeakerApiTest {

  private static final String SCOPES = "user-read-playback-state user-modify-playback-state";
  private static final FakeCatalog CATALOG = new FakeCatalog();
  private static final List<Event> LISTENED = new CopyOnWriteArrayList<>();
  private static String album;
  private static PlayerHarness harness;

  @BeforeAll
  static void start() {
    album = CATALOG.album("Speakers", 3);
    harness =
        PlayerHarness.start(
            (parts, router) -> {
              PlayerJson json = new PlayerJson(CATALOG, "http://127.0.0.1:1");
              DevicePlayer player =
                  DevicePlayer.of(
                      json,
                      PlayerCommands.create(CATALOG),
                      events -> {
                        LISTENED.addAll(events);
                        return Future.succeededFuture();
                      });
              new SpeakerApi(
                      parts.vertx(),
                      parts.sessions(),
                      new SessionFeeds(parts.vertx()),
                      player,
                      (trackId, principal) ->
                          Future.succeededFuture(
                              "http://127.0.0.1:1/media/signed/" + trackId + "/track.m4a"),
                      Clock.systemUTC())
                  .mount(router, ctx -> ctx.next(), ctx -> ctx.next(), BodyHandler.create());
            });
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String user() {
    return "u" + UUID.randomUUID().toString().replace("-", "");
  }

  private static HttpResponse<Buffer> post(String user, String path, JsonObject body) {
    return PlayerHarness.send(harness.request(HttpMethod.POST, path, user, SCOPES), body.encode());
  }

  private static HttpResponse<Buffer> get(String user, String path) {
    return PlayerHarness.send(harness.request(HttpMethod.GET, path, user, SCOPES));
  }

  private static JsonObject hello(String user, String deviceId) {
    var answer =
        post(
            user,
            "/speaker/v1/hello",
            new JsonObject()
                .put(
                    "device",
                    new JsonObject()
                        .put("id", deviceId)
                        .put("name", "Kitchen")
                        .put("volume_percent", 40)));
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject();
  }

  private static long play(String user, String deviceId) {
    var played =
        post(
            user,
            "/speaker/v1/command",
            new JsonObject()
                .put("device_id", deviceId)
                .put("name", "play")
                .put("args", new JsonObject().put("context_uri", "cadenza:album:" + album)));
    assertThat(played.statusCode()).as(played.bodyAsString()).isEqualTo(200);
    return played.bodyAsJsonObject().getLong("version");
  }

  @Test
  void helloJoinsAsASpeakerAndAPollAnswersAtOnceWhenNewer() {
    String user = user();
    JsonObject welcome = hello(user, "kitchen");
    assertThat(welcome.getJsonArray("devices").getJsonObject(0).getString("type"))
        .isEqualTo("Speaker");
    long version = welcome.getJsonObject("state").getLong("version");
    var now = get(user, "/speaker/v1/state?device_id=kitchen&since=" + (version - 1) + "&wait=5");
    assertThat(now.statusCode()).isEqualTo(200);
    assertThat(now.bodyAsJsonObject().getJsonObject("state").getLong("version")).isEqualTo(version);
  }

  @Test
  void aPollWithNothingNewAnswers204AfterItsWait() {
    String user = user();
    long version = hello(user, "kitchen").getJsonObject("state").getLong("version");
    long started = System.nanoTime();
    var none = get(user, "/speaker/v1/state?device_id=kitchen&since=" + version + "&wait=1");
    assertThat(none.statusCode()).isEqualTo(204);
    assertThat(System.nanoTime() - started).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
  }

  @Test
  void aWaitingPollAnswersWithTheChangeAndItsStreamUrl() throws Exception {
    String user = user();
    long version = hello(user, "kitchen").getJsonObject("state").getLong("version");
    CompletableFuture<HttpResponse<Buffer>> poll =
        CompletableFuture.supplyAsync(
            () -> get(user, "/speaker/v1/state?device_id=kitchen&since=" + version + "&wait=20"));
    // The poll waits (no answer for a while), then a command changes the session.
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !poll.isDone());
    long played = play(user, "kitchen");
    HttpResponse<Buffer> answer = poll.get(5, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonObject state = answer.bodyAsJsonObject().getJsonObject("state");
    assertThat(state.getLong("version")).isEqualTo(played);
    assertThat(state.getJsonObject("device").getString("id")).isEqualTo("kitchen");
    String first = CATALOG.albums.get(album).get(0).id();
    assertThat(state.getString("stream_url")).endsWith("/" + first + "/track.m4a");
  }

  @Test
  void aReportOfTheActiveDeviceIsListenedAndAnotherDevicesIsRefused() {
    String user = user();
    hello(user, "kitchen");
    hello(user, "hall");
    play(user, "kitchen");
    String itemId = harness.sessions.current(user).current().itemId();
    var report =
        post(
            user,
            "/speaker/v1/report",
            new JsonObject()
                .put("device_id", "kitchen")
                .put("reason", "started")
                .put("item_id", itemId)
                .put("position_ms", 0));
    assertThat(report.statusCode()).as(report.bodyAsString()).isEqualTo(200);
    assertThat(LISTENED)
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        Event.Listened.class, l -> assertThat(l.userId()).isEqualTo(user)));
    var refused =
        post(
            user,
            "/speaker/v1/report",
            new JsonObject()
                .put("device_id", "hall")
                .put("reason", "progress")
                .put("item_id", itemId)
                .put("position_ms", 1000));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("reason"))
        .isEqualTo("NOT_PLAYING_LOCALLY");
  }

  @Test
  void aPollOfADeviceThatNeverSaidHelloIs404DeviceNotFound() {
    var unknown = get(user(), "/speaker/v1/state?device_id=ghost");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getJsonObject("error").getString("reason"))
        .isEqualTo("DEVICE_NOT_FOUND");
  }

  @Test
  void badInputIs400AndChangesNothing() {
    String user = user();
    hello(user, "kitchen");
    int applied = harness.sessions.applied.get();
    assertThat(get(user, "/speaker/v1/state?device_id=kitchen&wait=31").statusCode())
        .isEqualTo(400);
    assertThat(get(user, "/speaker/v1/state?device_id=kitchen&since=x").statusCode())
        .isEqualTo(400);
    assertThat(get(user, "/speaker/v1/state").statusCode()).isEqualTo(400);
    assertThat(post(user, "/speaker/v1/hello", new JsonObject().put("device", "x")).statusCode())
        .isEqualTo(400);
    assertThat(
            post(
                    user,
                    "/speaker/v1/report",
                    new JsonObject().put("device_id", "kitchen").put("reason", "dancing"))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post(
                    user,
                    "/speaker/v1/command",
                    new JsonObject().put("device_id", "kitchen").put("name", "explode"))
                .statusCode())
        .isEqualTo(400);
    assertThat(harness.sessions.applied.get()).isEqualTo(applied);
  }
}
