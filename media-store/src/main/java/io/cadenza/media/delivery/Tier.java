package io.cadenza.media.delivery;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a user may play: {@code free} up to 128 kbit/s AAC (HLS {@code aac-64}, {@code aac-128} and
 * the progressive M4A); {@code premium} also {@code aac-256} and the lossless FLAC.
 *
 * <p>The rules are on the store's layout (see {@code MediaKeys}), so a segment request needs no
 * database read: {@link #fileOf} says whether a path inside a track's folder is one delivery serves
 * at all, {@link #allows} whether this tier may fetch it.
 */
public enum Tier {
  FREE("free"),
  PREMIUM("premium");

  /** The files of a track folder that delivery serves; everything else is not found. */
  private static final Pattern SERVED =
      Pattern.compile(
          "hls/master\\.m3u8"
              + "|hls/aac-(?:64|128|256)/(?:playlist\\.m3u8|init\\.mp4|seg-\\d{1,9}\\.m4s)"
              + "|track\\.flac|track\\.m4a");

  /** The files of a track folder only premium users may fetch. */
  private static final Pattern PREMIUM_ONLY = Pattern.compile("hls/aac-256/.*|track\\.flac");

  private final String claim;

  Tier(String claim) {
    this.claim = claim;
  }

  /** The name in tokens and in the access token's {@code product} claim. */
  public String claim() {
    return claim;
  }

  /** The tier of a {@code product} claim: premium only when it says so. */
  public static Tier ofProduct(String product) {
    return "premium".equals(product) ? PREMIUM : FREE;
  }

  /** The tier named exactly {@code claim}, if any. */
  public static Optional<Tier> ofClaim(String claim) {
    for (Tier tier : values()) {
      if (tier.claim.equals(claim)) {
        return Optional.of(tier);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code inTrack} (a path relative to a track folder) is a file delivery serves. */
  public static boolean fileOf(String inTrack) {
    return SERVED.matcher(inTrack).matches();
  }

  /** Whether this tier may fetch {@code inTrack} (a path relative to a track folder). */
  public boolean allows(String inTrack) {
    return fileOf(inTrack) && (this == PREMIUM || !PREMIUM_ONLY.matcher(inTrack).matches());
  }

  /** Whether this tier may play a rendition marked {@code premium}. */
  public boolean plays(boolean premiumRendition) {
    return this == PREMIUM || !premiumRendition;
  }
}
