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
    return encode(bytes);
  }

  /**
   * The id a name always maps to (the first 128 bits of its SHA-256): for imported data whose ids
   * must agree between the modules that import it, e.g. {@code named("chinook:track:1")}.
   */
  public static String named(String name) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return encode(java.util.Arrays.copyOf(digest, 16));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String encode(byte[] bytes) {
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
