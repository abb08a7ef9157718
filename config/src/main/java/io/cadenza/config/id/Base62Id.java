package io.cadenza.config.id;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Cadenza's ids: 22 base62 characters for 128 random bits, the shape of Spotify's ids. URIs are
 * {@code cadenza:<type>:<id>}.
 */
public final class Base62Id {

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern SHAPE = Pattern.compile("[0-9A-Za-z]{22}");
  private static final BigInteger BASE = BigInteger.valueOf(62);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Base62Id() {}

  /** A new random id. */
  public static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    BigInteger value = new BigInteger(1, bytes);
    char[] out = new char[22];
    for (int i = 21; i >= 0; i--) {
      BigInteger[] qr = value.divideAndRemainder(BASE);
      out[i] = ALPHABET.charAt(qr[1].intValue());
      value = qr[0];
    }
    return new String(out);
  }

  /** Whether a string has the shape of an id (it may still name nothing). */
  public static boolean isValid(String id) {
    return id != null && SHAPE.matcher(id).matches();
  }

  public static String uri(String type, String id) {
    return "cadenza:" + type + ":" + id;
  }
}
