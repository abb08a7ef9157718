package io.cadenza.media.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cadenza.media.store.ObjectStore;
import io.cadenza.media.store.StoredObject;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * What delivery found in the store, kept for {@link #TTL}: a file's size, ETag and local path, and
 * for small files (segments, init segments, variant playlists) their bytes, up to a budget.
 *
 * <p>The files under a content hash do not change once written, so a hit spares a request the hop
 * to a worker thread, the {@code stat}s, and for kept bytes the {@code open}/{@code sendfile}/
 * {@code close} of the file: one write sends head and body. Bytes are kept only when the read
 * matched the size the store reported. A file replaced in place (a re-transcode) can be served as
 * it was for up to {@link #TTL}; a file deleted behind the cache's back answers 404 when its send
 * fails, and {@link #forget} drops it.
 */
final class DeliveryCache {

  static final Duration TTL = Duration.ofSeconds(30);

  /**
   * The weight of an entry without bytes; an entry with bytes weighs their length. The budget is
   * the bytes allowed plus this many such entries, so kept bytes never pass it by more than this.
   */
  static final long ENTRIES_WITHOUT_BYTES = 65_536;

  /** A file of the store; {@code bytes} is null when it is sent from disk. */
  record Entry(StoredObject object, Path file, Buffer bytes) {}

  private final Vertx vertx;
  private final ObjectStore store;
  private final long maxFile;
  private final boolean keepBytes;
  private final Cache<String, Entry> entries;

  /**
   * @param memory the bytes of file contents kept in all (0: none, every file is sent from disk)
   * @param maxFile the largest file whose bytes are kept
   */
  DeliveryCache(Vertx vertx, ObjectStore store, long memory, long maxFile) {
    this.vertx = vertx;
    this.store = store;
    this.maxFile = maxFile;
    this.keepBytes = memory > 0;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(memory + ENTRIES_WITHOUT_BYTES)
            .weigher(
                (String key, Entry entry) -> entry.bytes() == null ? 1 : entry.bytes().length())
            .expireAfterWrite(TTL)
            .build();
  }

  /** The file under {@code key}, or empty when the store has none (or no local file for it). */
  Future<Optional<Entry>> find(String key) {
    Entry hit = entries.getIfPresent(key);
    if (hit != null) {
      return Future.succeededFuture(Optional.of(hit));
    }
    return store
        .stat(key)
        .compose(
            object -> {
              Optional<Path> file = object.isPresent() ? store.localFile(key) : Optional.empty();
              if (file.isEmpty()) {
                return Future.succeededFuture(Optional.<Entry>empty());
              }
              if (!keepBytes || object.get().size() > maxFile) {
                return Future.succeededFuture(Optional.of(keep(object.get(), file.get(), null)));
              }
              return vertx
                  .executeBlocking(() -> read(file.get(), object.get().size()), false)
                  // A file that cannot be read now is left to sendFile, which answers for it.
                  .otherwiseEmpty()
                  .map(bytes -> Optional.of(keep(object.get(), file.get(), bytes)));
            });
  }

  /**
   * The file's bytes in direct memory (sockets are written from it without a copy into a direct
   * buffer first; the JDK frees it when the cache lets go), or null when it is not {@code size}
   * bytes long (changed since it was looked at).
   */
  private static Buffer read(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != size) {
        return null;
      }
      ByteBuffer bytes = ByteBuffer.allocateDirect((int) size);
      while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
        // read on
      }
      if (bytes.hasRemaining()) {
        return null;
      }
      bytes.flip();
      // Vert.x hands sockets unreleasable slices of a buffer made this way, so the one kept here is
      // never released while it is in use (its memory is the JDK's, freed when unreachable).
      return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
    }
  }

  private Entry keep(StoredObject object, Path file, Buffer bytes) {
    Entry entry = new Entry(object, file, bytes);
    entries.put(object.key(), entry);
    return entry;
  }

  /** Drops what is known of {@code key} (its file could not be sent). */
  void forget(String key) {
    entries.invalidate(key);
  }

  /** The bytes of file contents kept now (for tests and metrics). */
  long keptBytes() {
    entries.cleanUp();
    return entries.asMap().values().stream()
        .mapToLong(entry -> entry.bytes() == null ? 0 : entry.bytes().length())
        .sum();
  }
}
