package io.cadenza.media.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscoderTest {

  @Test
  void readsEachVariantsBandwidthFromTheMasterPlaylist() {
    String master =
        """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-STREAM-INF:BANDWIDTH=70400,CODECS="mp4a.40.2"
        aac-64/playlist.m3u8

        #EXT-X-STREAM-INF:BANDWIDTH=140800,CODECS="mp4a.40.2"
        aac-128/playlist.m3u8

        #EXT-X-STREAM-INF:BANDWIDTH=281600,CODECS="mp4a.40.2"
        aac-256/playlist.m3u8
        """;
    assertThat(Transcoder.bandwidths(master))
        .containsExactly(
            java.util.Map.entry("aac-64", 70_400),
            java.util.Map.entry("aac-128", 140_800),
            java.util.Map.entry("aac-256", 281_600));
  }

  @Test
  void oneFfmpegCommandWritesTheLadderTheFlacAndTheM4a() {
    List<String> command =
        new Transcoder("ffmpeg", Duration.ofSeconds(4)).command(Path.of("in.mp3"), Path.of("work"));
    assertThat(command.stream().filter("ffmpeg"::equals)).hasSize(1);
    assertThat(String.join(" ", command))
        .contains("-hls_segment_type fmp4")
        .contains("-hls_time 4")
        .contains("-master_pl_name master.m3u8")
        .contains("a:0,name:aac-64 a:1,name:aac-128 a:2,name:aac-256")
        .contains("-c:a flac work/track.flac")
        .contains("-movflags +faststart work/track.m4a");
  }

  @Test
  void segmentDurationOutsideFourToSixSecondsIsRefused() {
    assertThatThrownBy(() -> new Transcoder("ffmpeg", Duration.ofSeconds(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ladderAboveOneHundredTwentyEightKbitIsPremium() {
    assertThat(
            new Transcoder.RenditionFile(
                    "aac-256",
                    io.cadenza.media.Rendition.Kind.HLS,
                    "mp4a.40.2",
                    281_600,
                    1,
                    "hls/aac-256/playlist.m3u8",
                    Transcoder.LADDER.get("aac-256") > Transcoder.FREE_MAX_BITRATE)
                .under("tracks/ab/x/")
                .premium())
        .isTrue();
    assertThat(Transcoder.LADDER.get("aac-128") > Transcoder.FREE_MAX_BITRATE).isFalse();
  }
}
