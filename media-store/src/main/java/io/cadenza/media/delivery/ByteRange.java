package io.cadenza.media.delivery;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to answer a {@code Range} header (RFC 9110 §14) for a representation of {@code size} bytes.
 *
 * <ul>
 *   <li>no header, a malformed one, another unit than {@code bytes}, or several ranges: {@link
 *       Full} — the whole representation with 200 (RFC 9110 §14.2 lets a server ignore Range, and
 *       answering several ranges with one 200 is allowed; players ask for one range at a time);
 *   <li>one satisfiable range — {@code a-b}, {@code a-} or the suffix {@code -n} — clipped to the
 *       representation: {@link Part}, answered with 206 and {@code Content-Range};
 *   <li>one syntactically valid range that is not satisfiable (first byte at or beyond the end, a
 *       zero-length suffix, anything on an empty representation): {@link Unsatisfiable}, answered
 *       with 416 and {@code Content-Range: bytes *&#47;size}.
 * </ul>
 *
 * A range whose last position is before its first ({@code bytes=9-3}) is invalid, hence ignored.
 */
public sealed interface ByteRange {

  /** The whole representation. */
  record Full() implements ByteRange {}

  /** Bytes {@code first..last} inclusive. */
  record Part(long first, long last) implements ByteRange {
    public long length() {
      return last - first + 1;
    }

    public String contentRange(long size) {
      return "bytes " + first + "-" + last + "/" + size;
    }
  }

  /** Nothing of the representation matches. */
  record Unsatisfiable() implements ByteRange {
    public static String contentRange(long size) {
      return "bytes */" + size;
    }
  }

  /** At most 18 digits: every such number fits a long; longer ones are clamped, not overflowed. */
  Pattern ONE_RANGE = Pattern.compile("(?i)bytes[ \\t]*=[ \\t]*(\\d*)-(\\d*)[ \\t]*");

  /** The answer to {@code header} (null when there is none) for {@code size} bytes. */
  static ByteRange of(String header, long size) {
    if (header == null || header.length() > 1024) {
      return new Full();
    }
    Matcher m = ONE_RANGE.matcher(header);
    if (!m.matches()) {
      return new Full();
    }
    String from = m.group(1);
    String to = m.group(2);
    if (from.isEmpty() && to.isEmpty()) {
      return new Full();
    }
    if (from.isEmpty()) {
      long suffix = number(to);
      if (suffix == 0 || size == 0) {
        return new Unsatisfiable();
      }
      return new Part(Math.max(0, size - suffix), size - 1);
    }
    long first = number(from);
    long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
    if (last < first) {
      return new Full();
    }
    if (first >= size) {
      return new Unsatisfiable();
    }
    return new Part(first, Math.min(last, size - 1));
  }

  /** A decimal number of any length, clamped to {@link Long#MAX_VALUE}. */
  private static long number(String digits) {
    String trimmed = digits.replaceFirst("^0+(?=\\d)", "");
    if (trimmed.length() > 18) {
      return Long.MAX_VALUE;
    }
    return Long.parseLong(trimmed);
  }
}
