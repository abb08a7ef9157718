package io.cadenza.media.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.RetriableException;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IngestServiceTest {

  private static CadenzaSettings.Media settings(int transcodes, int queue) {
    return new CadenzaSettings.Media(
        Path.of("unused"),
        transcodes,
        queue,
        Duration.ofSeconds(4),
        -14,
        Duration.ofMinutes(10),
        "ffmpeg",
        "ffprobe",
        0,
        1024 * 1024);
  }

  @Test
  void aFullPoolAnswersSaturatedWithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (IngestService service = IngestService.create(settings(1, 1), null, null)) {
      Future<Boolean> running = service.submit(() -> release.await(10, TimeUnit.SECONDS));
      Future<Boolean> queued = service.submit(() -> true);

      Future<IngestService.Ingested> refused =
          service.ingest(IngestService.Request.of(Path.of("any.mp3")));

      assertThat(refused.failed()).isTrue();
      assertThat(refused.cause()).isInstanceOf(RetriableException.class);
      RetriableException saturated = (RetriableException) refused.cause();
      assertThat(saturated.status()).isEqualTo(429);
      assertThat(saturated.retryAfter()).isPositive();
      assertThat(saturated.getMessage()).contains("saturated");

      release.countDown();
      assertThat(running.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isTrue();
      assertThat(queued.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isTrue();
    }
  }

  @Test
  void theMasterPlaylistIsStoredLastAndSegmentsBeforeTheirPlaylists() {
    List<Path> order =
        IngestService.storeOrder(
            List.of(
                Path.of("hls/master.m3u8"),
                Path.of("track.flac"),
                Path.of("hls/aac-64/playlist.m3u8"),
                Path.of("hls/aac-64/seg-00001.m4s"),
                Path.of("hls/aac-64/init.mp4"),
                Path.of("track.m4a")));
    assertThat(order)
        .containsExactly(
            Path.of("hls/aac-64/init.mp4"),
            Path.of("hls/aac-64/seg-00001.m4s"),
            Path.of("hls/aac-64/playlist.m3u8"),
            Path.of("track.flac"),
            Path.of("track.m4a"),
            Path.of("hls/master.m3u8"));
  }

  @Test
  void aacPaddingFillsTheLastFrame() {
    // 12 s at 44.1 kHz: 529200 samples + 1024 priming = 517.8 frames -> 518 frames.
    assertThat(IngestService.aacPadding(529_200)).isEqualTo(518 * 1024 - 1024 - 529_200);
    assertThat(IngestService.aacPadding(1024 * 10 - 1024)).isZero();
  }
}
