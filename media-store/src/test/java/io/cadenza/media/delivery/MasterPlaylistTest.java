package io.cadenza.media.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.media.MediaRecord;
import io.cadenza.media.Rendition;
import io.cadenza.media.Rendition.Kind;
import io.cadenza.media.store.MediaKeys;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterPlaylistTest {

  private static final String HASH = "ab" + "0".repeat(62);

  private static Rendition hls(String name, int bitrate, boolean premium) {
    return new Rendition(
        name, Kind.HLS, "mp4a.40.2", bitrate, 1000, MediaKeys.variantPlaylist(HASH, name), premium);
  }

  private static final MediaRecord RECORD =
      new MediaRecord(
          "4Uv9Tq0Zb6mX2kR8pLw3Ns",
          HASH,
          "wav",
          10_000,
          -18,
          4,
          2112,
          0,
          List.of(
              hls("aac-256", 270_000, true),
              hls("aac-64", 70_000, false),
              hls("aac-128", 140_000, false),
              new Rendition("flac", Kind.FILE, "flac", 900_000, 5000, MediaKeys.flac(HASH), true),
              new Rendition(
                  "m4a", Kind.FILE, "mp4a.40.2", 140_000, 5000, MediaKeys.m4a(HASH), false)),
          Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void freeMasterListsOnlyUpTo128kLowestFirst() {
    assertThat(MasterPlaylist.of(RECORD, Tier.FREE))
        .isEqualTo(
            """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-STREAM-INF:BANDWIDTH=70000,CODECS="mp4a.40.2"
            aac-64/playlist.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=140000,CODECS="mp4a.40.2"
            aac-128/playlist.m3u8
            """);
  }

  @Test
  void premiumMasterAddsTheHighBitrate() {
    assertThat(MasterPlaylist.variants(RECORD, Tier.PREMIUM))
        .extracting(Rendition::name)
        .containsExactly("aac-64", "aac-128", "aac-256");
    assertThat(MasterPlaylist.of(RECORD, Tier.PREMIUM))
        .contains("BANDWIDTH=270000,CODECS=\"mp4a.40.2\"\naac-256/playlist.m3u8\n");
  }

  @Test
  void aVariantMarkedPremiumIsHiddenFromFreeWhateverItsName() {
    MediaRecord record =
        new MediaRecord(
            RECORD.trackId(),
            HASH,
            "wav",
            1,
            0,
            0,
            0,
            0,
            List.of(hls("aac-128", 140_000, true)),
            RECORD.ingestedAt());
    assertThat(MasterPlaylist.variants(record, Tier.FREE)).isEmpty();
  }

  @Test
  void variantsOutsideTheTracksFolderAreLeftOut() {
    MediaRecord record =
        new MediaRecord(
            RECORD.trackId(),
            HASH,
            "wav",
            1,
            0,
            0,
            0,
            0,
            List.of(
                new Rendition(
                    "aac-128",
                    Kind.HLS,
                    "mp4a.40.2",
                    1,
                    1,
                    MediaKeys.variantPlaylist("cd" + "1".repeat(62), "aac-128"),
                    false)),
            RECORD.ingestedAt());
    assertThat(MasterPlaylist.variants(record, Tier.PREMIUM)).isEmpty();
  }
}
