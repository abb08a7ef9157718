package io.cadenza.edge.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Opaque secrets (refresh tokens, codes) and the hashes under which they are stored. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ".toCharArray();

  private Secrets() {}

  /** 256 random bits, base64url without padding (43 characters). */
  public static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * A user code for the device grant: 8 consonants such as {@code BDWP-HQPK} (no vowels, so no
   * words; 20^8 ≈ 2.6e10 codes, guessed only at the rate limits' pace).
   */
  public static String userCode() {
    StringBuilder code = new StringBuilder(9);
    for (int i = 0; i < 8; i++) {
      if (i == 4) {
        code.append('-');
      }
      code.append(USER_CODE_LETTERS[RANDOM.nextInt(USER_CODE_LETTERS.length)]);
    }
    return code.toString();
  }

  /** SHA-256 hex: how secrets are stored, so a database leak does not leak usable tokens. */
  public static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Constant-time comparison of two strings. */
  public static boolean same(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
