package io.cadenza.media.delivery;

import io.cadenza.config.id.Base62Id;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, short-lived media URLs: {@code /media/<token>/<store key>}. The token, one path segment
 * of URL-safe characters, is {@code <userId>.<tier>.<expiry epoch seconds>.<signature>}, the
 * signature being base64url HMAC-SHA256 over the track folder ({@code tracks/ab/<hash>/}), the
 * user, the tier and the expiry. One token covers every file of one track, so the relative URIs
 * inside HLS playlists ({@code aac-128/playlist.m3u8}, {@code init.mp4}, {@code seg-00001.m4s})
 * resolve to signed URLs without rewriting a playlist, and a CDN can cache what they name.
 *
 * <p>The key is derived from the first access-token signing key ({@code HMAC(key,
 * "cadenza-media-urls")}), so no new secret is configured and a media URL can never pass for an
 * access token or the reverse.
 */
public final class MediaUrls {

  /** Where media URLs are mounted. */
  public static final String PREFIX = "/media/";

  private static final String TRACKS = "tracks/";

  /** {@code tracks/} + 2 hex + {@code /} + the 64-hex hash + {@code /}. */
  private static final int FOLDER_LENGTH = TRACKS.length() + 2 + 1 + 64 + 1;

  /**
   * One initialised MAC per thread: a provider lookup per media request costs more than the MAC.
   */
  private final ThreadLocal<Mac> mac;

  private final Duration ttl;
  private final Clock clock;

  /**
   * @param signingSecret the secret of the first access-token signing key
   * @param ttl how long a URL minted by {@link #sign(String, String, Tier)} stays valid
   */
  public MediaUrls(byte[] signingSecret, Duration ttl, Clock clock) {
    byte[] key = hmac(signingSecret, "cadenza-media-urls".getBytes(StandardCharsets.UTF_8));
    this.mac = ThreadLocal.withInitial(() -> mac(key));
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A store key split into its track: the folder, the content hash and the path inside. */
  public record TrackKey(String folder, String contentHash, String inTrack) {

    /**
     * The track part of a store key, if the key is {@code tracks/<ab>/<hash>/<path inside>}: the
     * hash 64 lower-case hex digits starting with {@code <ab>}, the path inside not empty and on
     * one line. (Hand-written rather than a regular expression: it runs on every media request.)
     */
    public static Optional<TrackKey> of(String key) {
      if (key.length() <= FOLDER_LENGTH
          || !key.startsWith(TRACKS)
          || key.charAt(TRACKS.length() + 2) != '/'
          || key.charAt(FOLDER_LENGTH - 1) != '/'
          || key.charAt(TRACKS.length()) != key.charAt(TRACKS.length() + 3)
          || key.charAt(TRACKS.length() + 1) != key.charAt(TRACKS.length() + 4)
          || !lowerHex(key, TRACKS.length(), TRACKS.length() + 2)
          || !lowerHex(key, TRACKS.length() + 3, FOLDER_LENGTH - 1)) {
        return Optional.empty();
      }
      for (int i = FOLDER_LENGTH; i < key.length(); i++) {
        if (lineBreak(key.charAt(i))) {
          return Optional.empty();
        }
      }
      return Optional.of(
          new TrackKey(
              key.substring(0, FOLDER_LENGTH),
              key.substring(TRACKS.length() + 3, FOLDER_LENGTH - 1),
              key.substring(FOLDER_LENGTH)));
    }

    private static boolean lowerHex(String s, int from, int to) {
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
          return false;
        }
      }
      return true;
    }

    private static boolean lineBreak(char c) {
      return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
  }

  /** What a valid token grants: this user, at this tier, until then. */
  public record Grant(String userId, Tier tier, Instant expiresAt) {}

  /** A verification's outcome. */
  public sealed interface Verdict {
    record Valid(Grant grant) implements Verdict {}

    record Expired() implements Verdict {}

    record Invalid() implements Verdict {}
  }

  /** When a URL minted now expires. */
  public Instant expiry() {
    return clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** The signed path of {@code key} (a store key under a track folder) valid for the TTL. */
  public String sign(String key, String userId, Tier tier) {
    return sign(key, userId, tier, expiry());
  }

  /** The signed path of {@code key} valid until {@code expiresAt}. */
  public String sign(String key, String userId, Tier tier, Instant expiresAt) {
    TrackKey track =
        TrackKey.of(key).orElseThrow(() -> new IllegalArgumentException("not a track key: " + key));
    if (!Base62Id.isValid(userId)) {
      throw new IllegalArgumentException("not a user id: " + userId);
    }
    long expiry = expiresAt.getEpochSecond();
    String token =
        userId
            + "."
            + tier.claim()
            + "."
            + expiry
            + "."
            + encode(signature(track.folder(), userId, tier.claim(), expiry));
    return PREFIX + token + "/" + key;
  }

  /** Whether {@code token} is genuine, covers {@code track} and has not expired. */
  public Verdict verify(String token, TrackKey track) {
    if (!wellFormed(token)) {
      return new Verdict.Invalid();
    }
    int first = token.indexOf('.');
    int second = token.indexOf('.', first + 1);
    int third = token.indexOf('.', second + 1);
    String userId = token.substring(0, first);
    String tier = token.substring(first + 1, second);
    long expiry = Long.parseLong(token, second + 1, third, 10);
    // The encoded forms are compared, so no second spelling of a signature (base64's unused low
    // bits) is accepted.
    byte[] presented = token.substring(third + 1).getBytes(StandardCharsets.US_ASCII);
    byte[] expected =
        encode(signature(track.folder(), userId, tier, expiry)).getBytes(StandardCharsets.US_ASCII);
    Optional<Tier> known = Tier.ofClaim(tier);
    if (!MessageDigest.isEqual(presented, expected) || known.isEmpty()) {
      return new Verdict.Invalid();
    }
    Instant expiresAt = Instant.ofEpochSecond(expiry);
    if (!clock.instant().isBefore(expiresAt)) {
      return new Verdict.Expired();
    }
    return new Verdict.Valid(new Grant(userId, known.get(), expiresAt));
  }

  /**
   * Whether {@code token} has the token's shape: {@code <user: 22 base62>.<tier: 1-16 a-z>.<expiry:
   * 1-12 digits>.<signature: 43 base64url>}. (Hand-written: it runs on every media request.)
   */
  static boolean wellFormed(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    int third = second < 0 ? -1 : token.indexOf('.', second + 1);
    return first == 22
        && third >= 0
        && token.indexOf('.', third + 1) < 0
        && all(token, 0, first, MediaUrls::base62)
        && between(second - first - 1, 1, 16)
        && all(token, first + 1, second, c -> c >= 'a' && c <= 'z')
        && between(third - second - 1, 1, 12)
        && all(token, second + 1, third, c -> c >= '0' && c <= '9')
        && token.length() - third - 1 == 43
        && all(token, third + 1, token.length(), c -> base62(c) || c == '_' || c == '-');
  }

  private interface CharRule {
    boolean test(char c);
  }

  private static boolean all(String s, int from, int to, CharRule rule) {
    for (int i = from; i < to; i++) {
      if (!rule.test(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean between(int n, int min, int max) {
    return n >= min && n <= max;
  }

  private static boolean base62(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private byte[] signature(String folder, String userId, String tier, long expiry) {
    String message = "v1\n" + folder + "\n" + userId + "\n" + tier + "\n" + expiry;
    return mac.get().doFinal(message.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(byte[] signature) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    return mac(key).doFinal(message);
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
