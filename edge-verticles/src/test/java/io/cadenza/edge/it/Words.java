package io.cadenza.edge.it;

import java.security.SecureRandom;

/** Fresh random names for catalog tests, so other suites' data never matches them. */
final class Words {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Words() {}

  /** A random lower-case word of consonant-vowel pairs (pronounceable, never a real word). */
  static String word(int length) {
    String consonants = "bdfgklmnprstvz";
    String vowels = "aeiou";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      String from = i % 2 == 0 ? consonants : vowels;
      out.append(from.charAt(RANDOM.nextInt(from.length())));
    }
    return out.toString();
  }

  static String capital(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
