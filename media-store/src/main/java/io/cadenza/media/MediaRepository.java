package io.cadenza.media;

import io.vertx.core.Future;
import java.util.Optional;

/** The {@code media} table: what ingest recorded, by track id and by content hash. */
public interface MediaRepository {

  Future<Optional<MediaRecord>> byTrackId(String trackId);

  /** The track a source file with this SHA-256 was ingested as, if any. */
  Future<Optional<String>> trackIdByContentHash(String contentHash);

  /** Records a track's media (replacing an earlier record of the same track). */
  Future<Void> save(MediaRecord record);
}
