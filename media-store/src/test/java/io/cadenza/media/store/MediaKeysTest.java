package io.cadenza.media.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MediaKeysTest {

  /** The rule of {@link MediaKeys#isValid} as a regular expression, the reference. */
  private static final Pattern RULE =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

  @Test
  void isValidAgreesWithTheRuleOnManyShortStrings() {
    String alphabet = "aZ09._-/\\ %:";
    Random random = new Random(42);
    for (int n = 0; n < 200_000; n++) {
      StringBuilder key = new StringBuilder();
      int length = random.nextInt(9);
      for (int i = 0; i < length; i++) {
        key.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String candidate = key.toString();
      assertThat(MediaKeys.isValid(candidate))
          .as("'%s'", candidate)
          .isEqualTo(RULE.matcher(candidate).matches());
    }
  }

  @Test
  void isValidRefusesLongKeysAndNull() {
    assertThat(MediaKeys.isValid(null)).isFalse();
    assertThat(MediaKeys.isValid("a".repeat(512))).isTrue();
    assertThat(MediaKeys.isValid("a".repeat(513))).isFalse();
    assertThat(MediaKeys.isValid("tracks/ab/é")).isFalse();
  }
}
