package io.cadenza.media.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoudnessTest {

  private static final String SUMMARY =
      """
      [Parsed_ebur128_0 @ 0x55d1c0] Summary:

        Integrated loudness:
          I:         -22.0 LUFS
          Threshold: -32.0 LUFS

        Loudness range:
          LRA:         0.0 LU
          Threshold:   0.0 LUFS
          LRA low:   -22.0 LUFS
          LRA high:  -22.0 LUFS
      """;

  @Test
  void readsTheIntegratedLoudnessOfTheSummary() {
    assertThat(Loudness.parseIntegrated(SUMMARY)).isEqualTo(-22.0);
  }

  @Test
  void silenceCountsAsTheAbsoluteGate() {
    assertThat(
            Loudness.parseIntegrated(
                SUMMARY.replace("-22.0 LUFS\n    Threshold: -32", "-inf LUFS\n    Threshold: -32")))
        .isEqualTo(-70.0);
    assertThat(Loudness.parseIntegrated("Integrated loudness:\n    I:         -inf LUFS\n"))
        .isEqualTo(-70.0);
  }

  @Test
  void outputWithoutASummaryIsAnError() {
    assertThatThrownBy(() -> Loudness.parseIntegrated("Conversion failed!"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
