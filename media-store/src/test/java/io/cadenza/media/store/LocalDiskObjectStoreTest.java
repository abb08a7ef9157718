package io.cadenza.media.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDiskObjectStoreTest {

  private static final String HASH = "ab" + "0".repeat(62);

  @TempDir Path temp;
  private Vertx vertx;
  private Path root;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    root = temp.resolve("store");
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void putThenStatListAndLocalFileSeeTheWholeObject() throws Exception {
    LocalDiskObjectStore store = LocalDiskObjectStore.create(vertx, root);
    Path file = write("source", "hello media");

    StoredObject put = await(store.put(MediaKeys.flac(HASH), file));

    assertThat(put.size()).isEqualTo(11);
    assertThat(put.etag()).matches("\"[0-9a-f]{32}\"");
    assertThat(await(store.stat(MediaKeys.flac(HASH)))).contains(put);
    assertThat(await(store.list(MediaKeys.track(HASH)))).containsExactly(MediaKeys.flac(HASH));
    assertThat(store.localFile(MediaKeys.flac(HASH)).map(this::read)).contains("hello media");
  }

  @Test
  void theEtagIsStrongItChangesWithTheContentAndSurvivesARestart() throws Exception {
    LocalDiskObjectStore store = LocalDiskObjectStore.create(vertx, root);
    String key = MediaKeys.m4a(HASH);
    StoredObject first = await(store.put(key, write("a", "one")));
    StoredObject second = await(store.put(key, write("b", "two")));

    assertThat(second.etag()).isNotEqualTo(first.etag());
    LocalDiskObjectStore reopened = LocalDiskObjectStore.create(vertx, root);
    assertThat(await(reopened.stat(key)).map(StoredObject::etag)).contains(second.etag());
  }

  @Test
  void aFileChangedBehindTheStoresBackIsHashedAgain() throws Exception {
    LocalDiskObjectStore store = LocalDiskObjectStore.create(vertx, root);
    String key = MediaKeys.m4a(HASH);
    StoredObject put = await(store.put(key, write("a", "one")));
    Path local = store.localFile(key).orElseThrow();
    Files.writeString(local, "something longer");

    StoredObject stat = await(store.stat(key)).orElseThrow();

    assertThat(stat.size()).isEqualTo(16);
    assertThat(stat.etag()).isNotEqualTo(put.etag());
  }

  @Test
  void aCrashBeforeTheRenameLeavesNoVisibleObject() throws Exception {
    LocalDiskObjectStore store =
        LocalDiskObjectStore.create(
            vertx,
            root,
            temporary -> {
              throw new IOException("simulated crash after writing " + temporary.getFileName());
            });
    String key = MediaKeys.flac(HASH);

    assertThatThrownBy(() -> await(store.put(key, write("source", "half"))))
        .hasMessageContaining("simulated crash");

    assertThat(await(store.stat(key))).isEmpty();
    assertThat(store.localFile(key)).isEmpty();
    assertThat(await(store.list(MediaKeys.track(HASH)))).isEmpty();
  }

  @Test
  void aCrashBeforeTheRenameKeepsTheOldObjectWhole() throws Exception {
    String key = MediaKeys.flac(HASH);
    StoredObject old = await(LocalDiskObjectStore.create(vertx, root).put(key, write("a", "old")));
    LocalDiskObjectStore crashing =
        LocalDiskObjectStore.create(
            vertx,
            root,
            temporary -> {
              throw new IOException("simulated crash");
            });

    assertThatThrownBy(() -> await(crashing.put(key, write("b", "new and longer"))));

    assertThat(await(crashing.stat(key))).contains(old);
    assertThat(crashing.localFile(key).map(this::read)).contains("old");
  }

  @Test
  void leftoversOfAKilledWriterAreInvisible() throws Exception {
    LocalDiskObjectStore store = LocalDiskObjectStore.create(vertx, root);
    Path folder = Files.createDirectories(root.resolve(MediaKeys.track(HASH)));
    Files.writeString(folder.resolve(".tmp-1234-track.flac"), "half a fi");

    assertThat(await(store.list(MediaKeys.track(HASH)))).isEmpty();
    assertThat(store.localFile(MediaKeys.track(HASH) + ".tmp-1234-track.flac")).isEmpty();
  }

  @Test
  void keysThatAreNotValidOrLeaveTheStoreAreRefused() {
    LocalDiskObjectStore store = LocalDiskObjectStore.create(vertx, root);
    for (String key :
        new String[] {
          "../escape", "/etc/passwd", "a/../../b", ".hidden", "a//b", "a\\b", "", "a/./b", "a/"
        }) {
      assertThat(MediaKeys.isValid(key)).as(key).isFalse();
      assertThatThrownBy(() -> store.resolve(key))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.stat(key).failed()).as(key).isTrue();
      assertThat(store.localFile(key)).as(key).isEmpty();
    }
    assertThat(MediaKeys.isValid("tracks/ab/x/hls/aac-64/seg-00001.m4s")).isTrue();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(temp.resolve(name), content, StandardCharsets.UTF_8);
  }

  private String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
