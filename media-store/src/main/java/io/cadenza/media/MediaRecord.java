package io.cadenza.media;

import java.time.Instant;
import java.util.List;

/**
 * What ingest recorded of a track's audio (the {@code media} table): the content hash of the source
 * file (the same bytes ingest once), its duration, EBU R128 integrated loudness and the gain that
 * brings it to the target, the encoder delay and padding of the renditions (for gapless clients; 0
 * when unknown), and the renditions.
 */
public record MediaRecord(
    String trackId,
    String contentHash,
    String sourceFormat,
    long durationMs,
    double loudnessLufs,
    double gainDb,
    int encoderDelaySamples,
    int paddingSamples,
    List<Rendition> renditions,
    Instant ingestedAt) {

  public MediaRecord {
    renditions = List.copyOf(renditions);
  }
}
