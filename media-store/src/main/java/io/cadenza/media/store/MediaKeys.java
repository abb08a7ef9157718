package io.cadenza.media.store;

import java.util.regex.Pattern;

/**
 * The store's layout, content-addressed by the SHA-256 of the source file: everything made from one
 * source lives under {@code tracks/<first two hex digits>/<hash>/}:
 *
 * <pre>
 * tracks/ab/abcdef.../hls/master.m3u8
 * tracks/ab/abcdef.../hls/aac-128/playlist.m3u8, init.mp4, seg-00001.m4s, ...
 * tracks/ab/abcdef.../track.flac
 * tracks/ab/abcdef.../track.m4a
 * tracks/ab/abcdef.../cover.jpg            (when the source had cover art)
 * </pre>
 */
public final class MediaKeys {

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private MediaKeys() {}

  /** The folder of a source's renditions (ends with {@code /}). */
  public static String track(String contentHash) {
    if (!HASH.matcher(contentHash).matches()) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + contentHash);
    }
    return "tracks/" + contentHash.substring(0, 2) + "/" + contentHash + "/";
  }

  public static String master(String contentHash) {
    return track(contentHash) + "hls/master.m3u8";
  }

  /** The folder of one HLS variant, e.g. {@code aac-128} (ends with {@code /}). */
  public static String variant(String contentHash, String rendition) {
    return track(contentHash) + "hls/" + rendition + "/";
  }

  public static String variantPlaylist(String contentHash, String rendition) {
    return variant(contentHash, rendition) + "playlist.m3u8";
  }

  public static String flac(String contentHash) {
    return track(contentHash) + "track.flac";
  }

  public static String m4a(String contentHash) {
    return track(contentHash) + "track.m4a";
  }

  /** The source's embedded cover art, when it had one. */
  public static String cover(String contentHash) {
    return track(contentHash) + "cover.jpg";
  }

  /**
   * Whether {@code key} is a store key: relative, segments of letters, digits, {@code ._-} that do
   * not start with a dot (so no {@code ..}, no hidden files, no absolute paths, no backslashes).
   */
  public static boolean isValid(String key) {
    // A loop rather than a regular expression: it runs on every media request.
    if (key == null || key.isEmpty() || key.length() > 512) {
      return false;
    }
    boolean segmentStart = true;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '/') {
        if (segmentStart) {
          return false; // an empty segment, or a leading slash
        }
        segmentStart = true;
      } else if (segmentStart ? c != '.' && keyChar(c) : keyChar(c)) {
        segmentStart = false;
      } else {
        return false;
      }
    }
    return !segmentStart; // no trailing slash
  }

  private static boolean keyChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }
}
