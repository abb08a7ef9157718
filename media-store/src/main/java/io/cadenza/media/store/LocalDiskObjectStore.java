package io.cadenza.media.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under a root folder: key {@code a/b/c} is the file {@code <root>/a/b/c}.
 *
 * <p>A put copies into a hidden temporary file in the target's folder, flushes it to disk, then
 * renames it over the target in one atomic step, so a reader sees the old object or the new one,
 * never a half file; a crash leaves at most a hidden {@code .tmp-*} file that no key can name.
 *
 * <p>The strong ETag is the SHA-256 of the content (its first 128 bits), computed while the put
 * copies and kept in a hidden {@code .<name>.etag} beside the object together with the object's
 * size and modification time; {@code stat} trusts it only when those still match, and hashes the
 * file again otherwise.
 *
 * <p>All file I/O runs on worker threads.
 */
public final class LocalDiskObjectStore implements ObjectStore {

  /** A point to fail at in tests: after the temporary file is written, before it is renamed. */
  interface BeforeRename {
    void run(Path temporary) throws IOException;
  }

  private final Vertx vertx;
  private final Path root;
  private final BeforeRename beforeRename;

  private LocalDiskObjectStore(Vertx vertx, Path root, BeforeRename beforeRename) {
    this.vertx = vertx;
    this.root = root.toAbsolutePath().normalize();
    this.beforeRename = beforeRename;
  }

  /** A store under {@code root} (created when missing). */
  public static LocalDiskObjectStore create(Vertx vertx, Path root) {
    return create(vertx, root, temporary -> {});
  }

  static LocalDiskObjectStore create(Vertx vertx, Path root, BeforeRename beforeRename) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the media store folder " + root, e);
    }
    return new LocalDiskObjectStore(vertx, root, beforeRename);
  }

  public Path root() {
    return root;
  }

  @Override
  public Future<StoredObject> put(String key, Path file) {
    Path target;
    try {
      target = resolve(key);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> putBlocking(key, target, file), false);
  }

  @Override
  public Future<Optional<StoredObject>> stat(String key) {
    Path target;
    try {
      target = resolve(key);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> statBlocking(key, target), false);
  }

  @Override
  public Optional<Path> localFile(String key) {
    if (!MediaKeys.isValid(key)) {
      return Optional.empty();
    }
    Path target = resolve(key);
    return Files.isRegularFile(target) ? Optional.of(target) : Optional.empty();
  }

  @Override
  public Future<List<String>> list(String prefix) {
    if (!prefix.endsWith("/") || !MediaKeys.isValid(prefix.substring(0, prefix.length() - 1))) {
      return Future.failedFuture(new IllegalArgumentException("not a key prefix: " + prefix));
    }
    Path folder = resolve(prefix.substring(0, prefix.length() - 1));
    return vertx.executeBlocking(() -> listBlocking(folder), false);
  }

  /** The file of a key; refuses keys that are not valid or would resolve outside the root. */
  Path resolve(String key) {
    if (!MediaKeys.isValid(key)) {
      throw new IllegalArgumentException("not a valid object key: " + key);
    }
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("object key leaves the store: " + key);
    }
    return path;
  }

  private StoredObject putBlocking(String key, Path target, Path source) throws IOException {
    Path folder = target.getParent();
    Files.createDirectories(folder);
    Path temporary = folder.resolve(".tmp-" + UUID.randomUUID() + "-" + target.getFileName());
    try {
      MessageDigest digest = sha256();
      try (InputStream in = Files.newInputStream(source);
          OutputStream out =
              new DigestOutputStream(
                  Files.newOutputStream(
                      temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  digest)) {
        in.transferTo(out);
      }
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      BasicFileAttributes attributes = Files.readAttributes(temporary, BasicFileAttributes.class);
      String etag = etag(digest.digest());
      writeEtag(target, attributes, etag);
      beforeRename.run(temporary);
      move(temporary, target);
      return new StoredObject(key, attributes.size(), etag);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private Optional<StoredObject> statBlocking(String key, Path target) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(target, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!attributes.isRegularFile()) {
      return Optional.empty();
    }
    Optional<String> kept = readEtag(target, attributes);
    String etag = kept.isPresent() ? kept.get() : hashAgain(target);
    return Optional.of(new StoredObject(key, attributes.size(), etag));
  }

  private String hashAgain(Path target) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(target);
        OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
      in.transferTo(sink);
    }
    String etag = etag(digest.digest());
    writeEtag(target, Files.readAttributes(target, BasicFileAttributes.class), etag);
    return etag;
  }

  private List<String> listBlocking(Path folder) throws IOException {
    List<String> keys = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return keys;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files
          .filter(Files::isRegularFile)
          .map(path -> root.relativize(path).toString().replace('\\', '/'))
          .filter(MediaKeys::isValid) // hides temporary files and ETag side files
          .sorted()
          .forEach(keys::add);
    }
    return keys;
  }

  /** The side file keeps {@code <size> <mtime-nanos> <etag>}. */
  private static void writeEtag(Path target, BasicFileAttributes attributes, String etag)
      throws IOException {
    Path side = etagFile(target);
    Path temporary = side.resolveSibling(".tmp-" + UUID.randomUUID() + ".etag");
    String line =
        attributes.size()
            + " "
            + attributes.lastModifiedTime().toInstant().toEpochMilli()
            + " "
            + etag
            + "\n";
    try {
      Files.writeString(temporary, line, StandardCharsets.US_ASCII);
      move(temporary, side);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static Optional<String> readEtag(Path target, BasicFileAttributes attributes) {
    try {
      String[] parts =
          Files.readString(etagFile(target), StandardCharsets.US_ASCII).strip().split(" ");
      if (parts.length == 3
          && Long.parseLong(parts[0]) == attributes.size()
          && Long.parseLong(parts[1]) == attributes.lastModifiedTime().toInstant().toEpochMilli()) {
        return Optional.of(parts[2]);
      }
    } catch (IOException | NumberFormatException e) {
      // missing or stale: hash again
    }
    return Optional.empty();
  }

  private static Path etagFile(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".etag");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the media store needs a file system with atomic renames", e);
    }
  }

  private static String etag(byte[] sha256) {
    return "\"" + HexFormat.of().formatHex(sha256, 0, 16) + "\"";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
