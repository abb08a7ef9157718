package io.cadenza.media.store;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where renditions live. Keys are relative paths of {@code [A-Za-z0-9._-]} segments joined by
 * {@code /} (see {@code MediaKeys}); anything else is refused, so no key reaches outside the store.
 * Writes are atomic: an object is either absent or whole, never half written. The local-disk
 * implementation is the default; an S3-compatible one can implement the same interface.
 */
public interface ObjectStore {

  /**
   * Stores {@code file} (a finished local file, which is moved or copied) under {@code key},
   * atomically (a temporary name, then a rename), replacing what was there.
   */
  Future<StoredObject> put(String key, Path file);

  /** The object under {@code key}, or empty. */
  Future<Optional<StoredObject>> stat(String key);

  /**
   * The local file behind {@code key} when this store keeps objects on the local disk (for
   * zero-copy serving with {@code sendFile}); empty otherwise or when absent.
   */
  Optional<Path> localFile(String key);

  /** Every key under {@code prefix} (a key ending in {@code /}). */
  Future<java.util.List<String>> list(String prefix);
}
