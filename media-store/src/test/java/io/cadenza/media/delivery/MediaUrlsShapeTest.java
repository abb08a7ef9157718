package io.cadenza.media.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written parsers of media URLs agree with the regular expressions that define them. */
class MediaUrlsShapeTest {

  private static final Pattern TRACK_KEY =
      Pattern.compile("(tracks/([0-9a-f]{2})/(\\2[0-9a-f]{62})/)(.+)");
  private static final Pattern TOKEN =
      Pattern.compile("([0-9A-Za-z]{22})\\.([a-z]{1,16})\\.(\\d{1,12})\\.([A-Za-z0-9_-]{43})");

  private final Random random = new Random(7);

  @Test
  void trackKeysAreSplitAsTheRuleSays() {
    String hash = "ab" + "0123456789abcdef".repeat(4).substring(2);
    List<String> pieces =
        List.of("tracks/", "ab/", "ac/", hash, hash.toUpperCase(), "/", "hls/", "x", "\n", "é", "");
    for (int n = 0; n < 100_000; n++) {
      String key = mutate(join(pieces, 1 + random.nextInt(6)));
      Matcher m = TRACK_KEY.matcher(key);
      Optional<MediaUrls.TrackKey> expected =
          m.matches()
              ? Optional.of(new MediaUrls.TrackKey(m.group(1), m.group(3), m.group(4)))
              : Optional.empty();
      assertThat(MediaUrls.TrackKey.of(key)).as("'%s'", key).isEqualTo(expected);
    }
    assertThat(MediaUrls.TrackKey.of("tracks/ab/" + hash + "/hls/master.m3u8")).isPresent();
  }

  @Test
  void tokensAreWellFormedExactlyWhenTheRuleSays() {
    List<String> pieces =
        List.of(
            "0123456789abcdefABCDEF",
            "0123456789abcdefABCDE",
            ".",
            "free",
            "premium",
            "Free",
            "1780000000",
            "1234567890123",
            "0123456789012345678901234567890123456789_-A",
            "0123456789012345678901234567890123456789_-",
            "٣",
            "");
    int matched = 0;
    for (int n = 0; n < 100_000; n++) {
      String token = mutate(join(pieces, 1 + random.nextInt(8)));
      boolean expected = TOKEN.matcher(token).matches();
      matched += expected ? 1 : 0;
      assertThat(MediaUrls.wellFormed(token)).as("'%s'", token).isEqualTo(expected);
    }
    assertThat(matched).as("the generator makes valid tokens too").isPositive();
  }

  private String join(List<String> pieces, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append(pieces.get(random.nextInt(pieces.size())));
    }
    // Often the right shape: user . tier . expiry . signature
    if (random.nextInt(3) == 0) {
      return pieces.get(random.nextInt(2))
          + "."
          + pieces.get(3 + random.nextInt(3))
          + "."
          + pieces.get(6 + random.nextInt(2))
          + "."
          + pieces.get(8 + random.nextInt(2));
    }
    return out.toString();
  }

  /** Sometimes changes one character, to probe the edges of each part. */
  private String mutate(String s) {
    if (s.isEmpty() || random.nextBoolean()) {
      return s;
    }
    char[] chars = s.toCharArray();
    chars[random.nextInt(chars.length)] = "a0.Z_-/\n".charAt(random.nextInt(8));
    return new String(chars);
  }
}
