package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.TestNodes;
import io.cadenza.edge.it.Api.Response;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The ingest admin API: the audio file as the body, the media record back, idempotent. */
@ExtendWith(SharedNode.class)
class MediaUploadIT {

  private static Api api;

  @TempDir static Path work;

  @BeforeAll
  static void client() {
    api = new Api(SharedNode.running().url());
  }

  @Test
  void anUploadedFileIsIngestedOnceAndPlayable() throws Exception {
    Path mp3 = work.resolve("tone.mp3");
    Process ffmpeg =
        new ProcessBuilder(
                "ffmpeg",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=330:duration=7",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "128k",
                mp3.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(ffmpeg.exitValue()).isZero();
    byte[] audio = Files.readAllBytes(mp3);
    String trackId = Base62Id.random();

    Response created = upload(trackId, audio);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject record = created.json();
    assertThat(record.getString("track_id")).isEqualTo(trackId);
    assertThat(record.getLong("duration_ms")).isBetween(6900L, 7100L);
    assertThat(record.getJsonArray("renditions")).hasSize(5);
    assertThat(record.getJsonObject("loudness").getDouble("integrated_lufs")).isLessThan(0.0);

    Response again = upload(trackId, audio);
    assertThat(again.status()).as("the same content is not transcoded again").isEqualTo(200);
    assertThat(again.json().getString("content_hash")).isEqualTo(record.getString("content_hash"));

    // A listener gets signed links for it.
    String token = api.logIn(api.signUp(), null).accessToken();
    Response links = api.get("/v1/tracks/" + trackId + "/media", token);
    assertThat(links.status()).as(links.body()).isEqualTo(200);
    Response master =
        api.send(
            "GET", links.json().getString("hls").substring(api.baseUrl().length()), null, null);
    assertThat(master.status()).isEqualTo(200);
    assertThat(master.body()).contains("#EXT-X-STREAM-INF").contains("aac-128");
  }

  @Test
  void badUploadsAreRefusedAndLeaveNothing() {
    byte[] noise = new byte[50_000];
    new Random(7).nextBytes(noise);
    String trackId = Base62Id.random();
    Response corrupt = upload(trackId, noise);
    assertThat(corrupt.status()).as(corrupt.body()).isEqualTo(400);
    assertThat(corrupt.errorMessage()).isNotBlank();
    String token = api.logIn(api.signUp(), null).accessToken();
    assertThat(api.get("/v1/tracks/" + trackId + "/media", token).status()).isEqualTo(404);

    assertThat(upload("not-an-id", noise).status()).isEqualTo(400);
    Response anonymous =
        api.send(
            "PUT",
            "/admin/v1/tracks/" + Base62Id.random() + "/media",
            "application/octet-stream",
            noise);
    assertThat(anonymous.status()).isEqualTo(401);
  }

  private static Response upload(String trackId, byte[] audio) {
    return api.send(
        "PUT",
        "/admin/v1/tracks/" + trackId + "/media",
        "application/octet-stream",
        audio,
        "Authorization",
        "Bearer " + TestNodes.ADMIN_TOKEN);
  }
}
