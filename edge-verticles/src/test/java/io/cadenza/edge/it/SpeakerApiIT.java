package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.analytics.ListeningEvent;
import io.cadenza.analytics.ListeningEventJson;
import io.cadenza.config.cql.Cql;
import io.cadenza.edge.it.Api.Response;
import io.cadenza.media.CqlMediaRepository;
import io.cadenza.media.MediaRecord;
import io.cadenza.media.Rendition;
import io.cadenza.media.store.MediaKeys;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The speaker API on a real node: a speaker signs in with the device-code grant, says hello,
 * long-polls the state (answered by a change another device makes, with the signed stream URL of
 * the current track), commands the session by name and reports what it plays, which lands on the
 * listening topic (this run's, see SharedNode) keyed by user.
 */
@ExtendWith(SharedNode.class)
class SpeakerApiIT {

  private static final String SCOPES = "user-read-playback-state user-modify-playback-state";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SharedNode.Running node;
  private static Api api;
  private static TestAlbum album;

  @BeforeAll
  static void catalogAndMedia() throws Exception {
    node = SharedNode.running();
    api = new Api(node.url());
    album = TestAlbum.write(node.node(), node.settings().cql().keyspace(), 3, 300_000);
    // A media record for the first track, so that states carry its progressive URL.
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String hash = HexFormat.of().formatHex(random);
    MediaRecord record =
        new MediaRecord(
            album.trackIds().get(0),
            hash,
            "wav",
            300_000,
            -14,
            0,
            1024,
            512,
            List.of(
                new Rendition(
                    "m4a",
                    Rendition.Kind.FILE,
                    "mp4a.40.2",
                    140_000,
                    1_000,
                    MediaKeys.m4a(hash),
                    false)),
            Instant.now());
    CqlMediaRepository.create(
            new Cql(node.node().infrastructure().cql(), node.settings().cql().keyspace()))
        .compose(repository -> repository.save(record))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** A user, the token of their phone app, and their speaker's token from the device grant. */
  private record Owner(String id, String appToken, String speakerToken) {}

  private static Owner owner() {
    Api.Account account = api.signUp();
    String appToken = api.logIn(account, SCOPES).accessToken();
    Response code =
        api.postForm("/api/device/code", Map.of("client_id", "cadenza", "scope", SCOPES), null);
    assertThat(code.status()).as(code.body()).isEqualTo(200);
    Response approved =
        api.postJson(
            "/api/device/approve",
            new JsonObject()
                .put("user_code", code.json().getString("user_code"))
                .put("approve", true),
            appToken);
    assertThat(approved.status()).as(approved.body()).isEqualTo(204);
    Response tokens =
        api.postForm(
            "/api/token",
            Map.of(
                "grant_type",
                "urn:ietf:params:oauth:grant-type:device_code",
                "device_code",
                code.json().getString("device_code"),
                "client_id",
                "cadenza"),
            null);
    return new Owner(account.id(), appToken, Api.tokens(tokens).accessToken());
  }

  private static Response speaker(Owner owner, String method, String path, JsonObject body) {
    return api.send(
        method,
        path,
        body == null ? null : "application/json",
        body == null ? null : body.encode().getBytes(StandardCharsets.UTF_8),
        "Authorization",
        "Bearer " + owner.speakerToken());
  }

  private static JsonObject hello(Owner owner) {
    Response hello =
        speaker(
            owner,
            "POST",
            "/speaker/v1/hello",
            new JsonObject()
                .put(
                    "device",
                    new JsonObject()
                        .put("id", "kitchen")
                        .put("name", "Kitchen speaker")
                        .put("volume_percent", 40)));
    assertThat(hello.status()).as(hello.body()).isEqualTo(200);
    return hello.json();
  }

  @Test
  void aSignedInSpeakerJoinsAndItsPollIsAnsweredByAChangeWithTheStreamUrl() throws Exception {
    Owner owner = owner();
    JsonObject welcome = hello(owner);
    assertThat(welcome.getString("device_id")).isEqualTo("kitchen");
    long version = welcome.getJsonObject("state").getLong("version");
    assertThat(welcome.getJsonArray("devices").getJsonObject(0).getString("type"))
        .isEqualTo("Speaker");

    CompletableFuture<Response> poll =
        CompletableFuture.supplyAsync(
            () ->
                speaker(
                    owner,
                    "GET",
                    "/speaker/v1/state?device_id=kitchen&since=" + version + "&wait=25",
                    null));
    // The phone app plays the album on the speaker through the player API.
    long asked = System.nanoTime();
    Response played =
        api.send(
            "PUT",
            "/v1/me/player/play?device_id=kitchen",
            "application/json",
            new JsonObject()
                .put("context_uri", album.albumUri())
                .encode()
                .getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + owner.appToken());
    assertThat(played.status()).as(played.body()).isEqualTo(204);
    Response answer = poll.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(System.nanoTime() - asked).isLessThan(TimeUnit.SECONDS.toNanos(10));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonObject state = answer.json().getJsonObject("state");
    assertThat(state.getLong("version")).isGreaterThan(version);
    assertThat(state.getJsonObject("device").getString("id")).isEqualTo("kitchen");
    assertThat(state.getBoolean("is_playing")).isTrue();
    assertThat(state.getString("stream_url")).startsWith(node.url() + "/media/");

    // Nothing newer: the poll waits its time and answers 204.
    long now = state.getLong("version");
    Response none =
        speaker(owner, "GET", "/speaker/v1/state?device_id=kitchen&since=" + now + "&wait=1", null);
    assertThat(none.status()).isEqualTo(204);
  }

  @Test
  void aSpeakerReportGoesToKafkaKeyedByUserAndItsCommandsReachTheSockets() throws Exception {
    Owner owner = owner();
    hello(owner);
    Response played =
        speaker(
            owner,
            "POST",
            "/speaker/v1/command",
            new JsonObject()
                .put("device_id", "kitchen")
                .put("name", "play")
                .put("args", new JsonObject().put("context_uri", album.albumUri())));
    assertThat(played.status()).as(played.body()).isEqualTo(200);
    Response current = speaker(owner, "GET", "/speaker/v1/state?device_id=kitchen", null);
    JsonObject state = current.json().getJsonObject("state");
    assertThat(state.getValue("device")).as(played.body() + " then " + current.body()).isNotNull();
    assertThat(state.getJsonObject("device").getString("id")).isEqualTo("kitchen");
    String itemId = state.getString("item_id");

    try (KafkaConsumer<String, byte[]> consumer = node.listeningConsumerFromEnd()) {
      Response report =
          speaker(
              owner,
              "POST",
              "/speaker/v1/report",
              new JsonObject()
                  .put("device_id", "kitchen")
                  .put("reason", "started")
                  .put("item_id", itemId)
                  .put("position_ms", 0));
      assertThat(report.status()).as(report.body()).isEqualTo(200);
      // A start is no play yet; the skip ends one: the user's first record is the skip's (one
      // user's records share a partition, in order).
      Response skipped =
          speaker(
              owner,
              "POST",
              "/speaker/v1/report",
              new JsonObject()
                  .put("device_id", "kitchen")
                  .put("reason", "skipped")
                  .put("item_id", itemId)
                  .put("position_ms", 45_000));
      assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
      ConsumerRecord<String, byte[]> record = awaitRecord(consumer, owner.id());
      ListeningEvent event = ListeningEventJson.read(record.value());
      assertThat(event.userId()).isEqualTo(owner.id());
      assertThat(event.trackId()).isEqualTo(album.trackIds().get(0));
      assertThat(event.deviceId()).isEqualTo("kitchen");
      assertThat(event.contextUri()).isEqualTo(album.albumUri());
      assertThat(event.msPlayed()).isEqualTo(45_000);
      assertThat(event.reasonEnd()).isEqualTo("fwdbtn");
      assertThat(event.offline()).isFalse();
      assertThat(event.country()).isEqualTo("SE");
      assertThat(Duration.between(event.startedAt(), Instant.now()).toMillis())
          .isBetween(45_000L, 45_000L + WAIT.toMillis());
    }

    // A report from a device that is not the active one is refused.
    Response refused =
        speaker(
            owner,
            "POST",
            "/speaker/v1/report",
            new JsonObject()
                .put("device_id", "kitchen")
                .put("reason", "progress")
                .put("item_id", "another-item")
                .put("position_ms", 1000));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getJsonObject("error").getString("reason"))
        .isEqualTo("NOT_PLAYING_LOCALLY");

    // The speaker's pause reaches the user's socket devices.
    try (DeviceClient phone = DeviceClient.connect(node.url(), owner.appToken())) {
      long before =
          phone.hello("phone", "Phone", "Smartphone").getJsonObject("state").getLong("version");
      Response paused =
          speaker(
              owner,
              "POST",
              "/speaker/v1/command",
              new JsonObject().put("device_id", "kitchen").put("name", "pause"));
      assertThat(paused.status()).as(paused.body()).isEqualTo(200);
      JsonObject seen = phone.awaitState(before + 1, WAIT).frame().getJsonObject("state");
      assertThat(seen.getBoolean("is_playing")).isFalse();
    }
  }

  @Test
  void aPollOfAnUnknownDeviceIs404AndBadValuesAre400() {
    Owner owner = owner();
    Response unknown = speaker(owner, "GET", "/speaker/v1/state?device_id=ghost", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getJsonObject("error").getString("reason"))
        .isEqualTo("DEVICE_NOT_FOUND");
    hello(owner);
    Response tooLong = speaker(owner, "GET", "/speaker/v1/state?device_id=kitchen&wait=60", null);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.errorMessage()).contains("wait");
    Response noAuth = api.get("/speaker/v1/state?device_id=kitchen", null);
    assertThat(noAuth.status()).isEqualTo(401);
  }

  private static ConsumerRecord<String, byte[]> awaitRecord(
      KafkaConsumer<String, byte[]> consumer, String key) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        if (key.equals(record.key())) {
          return record;
        }
      }
    }
    throw new AssertionError(
        "No record keyed " + key + " on " + node.settings().listening().topic());
  }
}
