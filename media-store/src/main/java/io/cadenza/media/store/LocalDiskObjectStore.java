package io.cadenza.media.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The read side of the local-disk {@link ObjectStore}: objects are regular files under one root
 * folder, at their key. Only what delivery needs ({@link #stat}, {@link #localFile}); the write
 * side ({@link #put}, {@link #list}) belongs to ingest and is refused here.
 *
 * <p>A key is checked with {@link MediaKeys#isValid} and its path must stay under the root, so no
 * key reaches outside the store; a symbolic link or anything but a regular file counts as absent.
 * The ETag is strong: the size and the modification time, which change whenever an object is
 * replaced (objects are only ever replaced whole, by a rename).
 */
public final class LocalDiskObjectStore implements ObjectStore {

  private final Vertx vertx;
  private final Path root;

  public LocalDiskObjectStore(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Future<Optional<StoredObject>> stat(String key) {
    Optional<Path> file = localFile(key);
    if (file.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return vertx
        .fileSystem()
        .lprops(file.get().toString())
        .map(props -> Optional.of(props).filter(FileProps::isRegularFile).map(p -> object(key, p)))
        .recover(missing -> Future.succeededFuture(Optional.empty()));
  }

  /** The path of {@code key} under the root (no I/O: {@link #stat} says whether it exists). */
  @Override
  public Optional<Path> localFile(String key) {
    if (!MediaKeys.isValid(key)) {
      return Optional.empty();
    }
    Path file = root.resolve(key).normalize();
    return file.startsWith(root) && !file.equals(root) ? Optional.of(file) : Optional.empty();
  }

  @Override
  public Future<StoredObject> put(String key, Path file) {
    return Future.failedFuture(new UnsupportedOperationException("read-only store"));
  }

  @Override
  public Future<List<String>> list(String prefix) {
    return Future.failedFuture(new UnsupportedOperationException("read-only store"));
  }

  private static StoredObject object(String key, FileProps props) {
    return new StoredObject(
        key,
        props.size(),
        "\""
            + Long.toHexString(props.size())
            + "-"
            + Long.toHexString(props.lastModifiedTime())
            + "\"");
  }
}
