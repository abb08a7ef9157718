package io.cadenza.catalog.search.internal;

import java.util.Locale;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;

/**
 * The string normalisations the index applies outside analyzers, so that indexing and querying fold
 * text the same way (lower case, then the same ASCII folding as the analyzers).
 */
final class Text {

  private Text() {}

  /** Lower case and ASCII-folded: {@code "Beyoncé"} is {@code "beyonce"}, {@code "ß"} is "ss". */
  static String fold(String s) {
    char[] in = s.toLowerCase(Locale.ROOT).toCharArray();
    char[] out = new char[in.length * 4];
    int length = ASCIIFoldingFilter.foldToASCII(in, 0, out, 0, in.length);
    return new String(out, 0, length);
  }

  /**
   * Folded, with everything but letters and digits removed: {@code "AC/DC"} and {@code "ac dc"} are
   * both {@code "acdc"}, {@code "Iron Ma"} is {@code "ironma"}.
   */
  static String compact(String s) {
    String folded = fold(s);
    StringBuilder out = new StringBuilder(folded.length());
    folded.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
    return out.toString();
  }

  /**
   * Folded, with each run of other characters turned into one space: genres compare as keywords, so
   * {@code "Hip Hop/Rap"} and {@code "hip-hop rap"} are both {@code "hip hop rap"}.
   */
  static String keyword(String s) {
    String folded = fold(s);
    StringBuilder out = new StringBuilder(folded.length());
    boolean gap = false;
    for (int i = 0; i < folded.length(); ) {
      int cp = folded.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        if (gap && out.length() > 0) {
          out.append(' ');
        }
        gap = false;
        out.appendCodePoint(cp);
      } else {
        gap = true;
      }
    }
    return out.toString();
  }

  /** Upper case letters and digits only: ISRCs and UPCs are written with and without hyphens. */
  static String code(String s) {
    return compact(s).toUpperCase(Locale.ROOT);
  }
}
