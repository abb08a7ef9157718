package io.cadenza.media.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.config.error.ValidationException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeTest {

  private static final String MP3_WITH_COVER =
      """
      {
        "streams": [
          {"index": 0, "codec_name": "mp3", "codec_type": "audio", "sample_rate": "44100",
           "channels": 2, "start_time": "0.025057", "duration": "12.042449", "bit_rate": "192000",
           "disposition": {"attached_pic": 0}},
          {"index": 1, "codec_name": "mjpeg", "codec_type": "video",
           "disposition": {"attached_pic": 1}}
        ],
        "format": {
          "format_name": "mp3", "duration": "12.042449", "bit_rate": "192445",
          "tags": {"title": "Tone", "artist": "Sine", "album": "Tests", "album_artist": "Various",
                   "genre": "Test", "track": "3/12", "disc": "1/2", "date": "2024",
                   "TSRC": "USRC17607839"}
        }
      }
      """;

  private static final String OGG_OPUS =
      """
      {
        "streams": [
          {"index": 0, "codec_name": "opus", "codec_type": "audio", "sample_rate": "48000",
           "channels": 2, "initial_padding": 312, "start_time": "0.000000", "duration": "12.006500",
           "tags": {"TITLE": "Ogg title", "ARTIST": "Ogg artist", "TRACKNUMBER": "07",
                    "ISRC": "GBAYE0000351"}}
        ],
        "format": {"format_name": "ogg", "duration": "12.006500"}
      }
      """;

  @Test
  void readsDurationCodecRateChannelsTagsAndArtworkOfAnMp3() {
    ProbeResult probe = Probe.parse(MP3_WITH_COVER, "a.mp3");

    assertThat(probe.formatName()).isEqualTo("mp3");
    assertThat(probe.codec()).isEqualTo("mp3");
    assertThat(probe.durationMs()).isEqualTo(12_042);
    assertThat(probe.sampleRate()).isEqualTo(44_100);
    assertThat(probe.channels()).isEqualTo(2);
    assertThat(probe.bitRate()).isEqualTo(192_000);
    assertThat(probe.hasArtwork()).isTrue();
    assertThat(probe.artworkStream()).isEqualTo(1);
    assertThat(probe.tags().title()).contains("Tone");
    assertThat(probe.tags().artist()).contains("Sine");
    assertThat(probe.tags().album()).contains("Tests");
    assertThat(probe.tags().albumArtist()).contains("Various");
    assertThat(probe.tags().genre()).contains("Test");
    assertThat(probe.tags().trackNumber()).contains(3);
    assertThat(probe.tags().discNumber()).contains(1);
    assertThat(probe.tags().date()).contains("2024");
    assertThat(probe.tags().isrc()).contains("USRC17607839");
  }

  @Test
  void encoderDelayComesFromTheMp3StartTimeInSamples() {
    assertThat(Probe.parse(MP3_WITH_COVER, "a.mp3").encoderDelaySamples()).isEqualTo(1105);
    assertThat(Probe.parse(MP3_WITH_COVER, "a.mp3").paddingSamples()).isZero();
  }

  @Test
  void oggTagsOnTheStreamAndOpusPreSkipAreRead() {
    ProbeResult probe = Probe.parse(OGG_OPUS, "a.opus");

    assertThat(probe.codec()).isEqualTo("opus");
    assertThat(probe.encoderDelaySamples()).isEqualTo(312);
    assertThat(probe.hasArtwork()).isFalse();
    assertThat(probe.tags().title()).contains("Ogg title");
    assertThat(probe.tags().trackNumber()).contains(7);
    assertThat(probe.tags().isrc()).contains("GBAYE0000351");
    assertThat(probe.tags().album()).isEmpty();
  }

  @Test
  void overridesReplaceOnlyWhatTheyName() {
    ProbeResult.Tags file = Probe.parse(MP3_WITH_COVER, "a.mp3").tags();
    ProbeResult.Tags overrides =
        new ProbeResult.Tags(
            Optional.of("New title"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(9),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    ProbeResult.Tags merged = file.overriddenBy(overrides);

    assertThat(merged.title()).contains("New title");
    assertThat(merged.trackNumber()).contains(9);
    assertThat(merged.artist()).contains("Sine");
  }

  @Test
  void aFileWithoutAudioIsRefused() {
    String picture =
        """
        {"streams": [{"index": 0, "codec_name": "png", "codec_type": "video"}],
         "format": {"format_name": "png_pipe"}}
        """;
    assertThatThrownBy(() -> Probe.parse(picture, "cover.png"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("cover.png")
        .hasMessageContaining("no audio stream");
  }

  @Test
  void audioWithoutADurationIsRefused() {
    String broken =
        """
        {"streams": [{"index": 0, "codec_name": "mp3", "codec_type": "audio",
                      "sample_rate": "44100", "duration": "N/A"}],
         "format": {"format_name": "mp3"}}
        """;
    assertThatThrownBy(() -> Probe.parse(broken, "x.mp3"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("no duration");
  }

  @Test
  void outputThatIsNotJsonIsRefused() {
    assertThatThrownBy(() -> Probe.parse("", "x.mp3")).isInstanceOf(ValidationException.class);
  }
}
