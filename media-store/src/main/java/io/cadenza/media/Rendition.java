package io.cadenza.media;

import java.util.Objects;

/**
 * One way a track can be played: an HLS variant of the AAC ladder, the lossless FLAC file or the
 * progressive M4A file.
 *
 * @param name {@code aac-64}, {@code aac-128}, {@code aac-256}, {@code flac} or {@code m4a}
 * @param kind {@link Kind#HLS} (key is the variant's media playlist) or {@link Kind#FILE} (key is
 *     the file)
 * @param codecs the RFC 6381 codecs string, e.g. {@code mp4a.40.2} or {@code flac}
 * @param bitrate bits per second as the master playlist's BANDWIDTH says (peak for HLS)
 * @param sizeBytes bytes in the store (all segments and the init segment for HLS)
 * @param key the object-store key
 * @param premium whether only premium users may play it (above 128 kbit/s, or lossless)
 */
public record Rendition(
    String name,
    Kind kind,
    String codecs,
    int bitrate,
    long sizeBytes,
    String key,
    boolean premium) {

  /** How a rendition is delivered. */
  public enum Kind {
    HLS,
    FILE
  }

  public Rendition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(codecs, "codecs");
    Objects.requireNonNull(key, "key");
  }
}
