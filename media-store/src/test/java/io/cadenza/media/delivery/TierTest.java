package io.cadenza.media.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TierTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hls/master.m3u8",
        "hls/aac-64/playlist.m3u8",
        "hls/aac-64/init.mp4",
        "hls/aac-128/seg-00001.m4s",
        "track.m4a"
      })
  void bothTiersFetchUpTo128k(String file) {
    assertThat(Tier.FREE.allows(file)).isTrue();
    assertThat(Tier.PREMIUM.allows(file)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hls/aac-256/playlist.m3u8",
        "hls/aac-256/init.mp4",
        "hls/aac-256/seg-00002.m4s",
        "track.flac"
      })
  void onlyPremiumFetchesHighBitrateAndLossless(String file) {
    assertThat(Tier.fileOf(file)).isTrue();
    assertThat(Tier.FREE.allows(file)).isFalse();
    assertThat(Tier.PREMIUM.allows(file)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "source.wav",
        "hls/aac-128/other.txt",
        "hls/aac-512/playlist.m3u8",
        "hls/master.m3u8.bak",
        "hls/aac-128/seg-1.m4s/x",
        "track.flac.tmp",
        "hls/aac-128",
        ""
      })
  void anythingElseIsNotServed(String file) {
    assertThat(Tier.fileOf(file)).isFalse();
    assertThat(Tier.PREMIUM.allows(file)).isFalse();
  }

  @Test
  void onlyThePremiumProductIsPremium() {
    assertThat(Tier.ofProduct("premium")).isEqualTo(Tier.PREMIUM);
    assertThat(Tier.ofProduct("free")).isEqualTo(Tier.FREE);
    assertThat(Tier.ofProduct(null)).isEqualTo(Tier.FREE);
    assertThat(Tier.ofProduct("PREMIUM")).isEqualTo(Tier.FREE);
  }
}
