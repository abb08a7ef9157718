package io.cadenza.media.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.media.store.MediaKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaRoutesTest {

  @Test
  void ifNoneMatchComparesWeaklyAndAcceptsListsAndStar() {
    assertThat(MediaRoutes.matches("\"a\"", "\"a\"")).isTrue();
    assertThat(MediaRoutes.matches("W/\"a\"", "\"a\"")).isTrue();
    assertThat(MediaRoutes.matches("\"b\", \"a\"", "\"a\"")).isTrue();
    assertThat(MediaRoutes.matches("*", "\"a\"")).isTrue();
    assertThat(MediaRoutes.matches("\"b\"", "\"a\"")).isFalse();
    assertThat(MediaRoutes.matches("a", "\"a\"")).isFalse();
    assertThat(MediaRoutes.matches(null, "\"a\"")).isFalse();
  }

  @Test
  void contentTypesFollowTheFile() {
    assertThat(MediaRoutes.contentType("x/hls/master.m3u8"))
        .isEqualTo("application/vnd.apple.mpegurl");
    assertThat(MediaRoutes.contentType("x/hls/aac-64/init.mp4")).isEqualTo("audio/mp4");
    assertThat(MediaRoutes.contentType("x/hls/aac-64/seg-00001.m4s")).isEqualTo("audio/mp4");
    assertThat(MediaRoutes.contentType("x/track.m4a")).isEqualTo("audio/mp4");
    assertThat(MediaRoutes.contentType("x/track.flac")).isEqualTo("audio/flac");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "../etc/passwd",
        "tracks/../../etc/passwd",
        "tracks/ab/../../x",
        "%2e%2e/etc/passwd",
        "tracks/%2e%2e/x",
        "/etc/passwd",
        "tracks//x",
        "tracks\\..\\x",
        "tracks/a\0b",
        ".hidden",
        "tracks/./x",
        "tracks/x/",
        "C:/windows",
        ""
      })
  void keysThatCouldLeaveTheStoreAreInvalid(String key) {
    assertThat(MediaKeys.isValid(key)).isFalse();
  }
}
