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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Pattern TRACK_KEY =
      Pattern.compile("(tracks/([0-9a-f]{2})/(\\2[0-9a-f]{62})/)(.+)");
  private static final Pattern TOKEN =
      Pattern.compile("([0-9A-Za-z]{22})\\.([a-z]{1,16})\\.(\\d{1,12})\\.([A-Za-z0-9_-]{43})");

  private final byte[] key;
  private final Duration ttl;
  private final Clock clock;

  /**
   * @param signingSecret the secret of the first access-token signing key
   * @param ttl how long a URL minted by {@link #sign(String, String, Tier)} stays valid
   */
  public MediaUrls(byte[] signingSecret, Duration ttl, Clock clock) {
    this.key = hmac(signingSecret, "cadenza-media-urls".getBytes(StandardCharsets.UTF_8));
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A store key split into its track: the folder, the content hash and the path inside. */
  public record TrackKey(String folder, String contentHash, String inTrack) {

    /** The track part of a store key, if the key is under a track folder. */
    public static Optional<TrackKey> of(String key) {
      Matcher m = TRACK_KEY.matcher(key);
      return m.matches()
          ? Optional.of(new TrackKey(m.group(1), m.group(3), m.group(4)))
          : Optional.empty();
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
    Matcher m = TOKEN.matcher(token);
    if (!m.matches()) {
      return new Verdict.Invalid();
    }
    String userId = m.group(1);
    String tier = m.group(2);
    long expiry = Long.parseLong(m.group(3));
    // The encoded forms are compared, so no second spelling of a signature (base64's unused low
    // bits) is accepted.
    byte[] presented = m.group(4).getBytes(StandardCharsets.US_ASCII);
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

  private byte[] signature(String folder, String userId, String tier, long expiry) {
    String message = "v1\n" + folder + "\n" + userId + "\n" + tier + "\n" + expiry;
    return hmac(key, message.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(byte[] signature) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
