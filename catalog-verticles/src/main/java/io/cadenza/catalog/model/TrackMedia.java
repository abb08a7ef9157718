package io.cadenza.catalog.model;

import java.util.List;

/**
 * What media-store recorded of a track's audio (its {@code media} table), as the catalog shows it:
 * the measured duration, EBU R128 integrated loudness and the normalisation gain, and the
 * renditions a player can choose from.
 */
public record TrackMedia(
    String trackId,
    long durationMs,
    double loudnessLufs,
    double gainDb,
    List<Rendition> renditions) {

  public TrackMedia {
    renditions = List.copyOf(renditions);
  }

  /**
   * One rendition: {@code aac-64}, {@code aac-128}, {@code aac-256} (HLS), {@code flac}, {@code
   * m4a} (files), its RFC 6381 codecs, bits per second, and whether only premium users may play it.
   */
  public record Rendition(String name, String codecs, int bitrate, boolean premium) {}
}
