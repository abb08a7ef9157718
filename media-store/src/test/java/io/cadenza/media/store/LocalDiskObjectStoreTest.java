package io.cadenza.media.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalDiskObjectStoreTest {

  @TempDir Path dir;
  private Vertx vertx;
  private LocalDiskObjectStore store;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    store = new LocalDiskObjectStore(vertx, dir.resolve("store"));
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void statGivesSizeAndAStrongEtag() throws Exception {
    Files.createDirectories(dir.resolve("store/a"));
    Files.writeString(dir.resolve("store/a/b.m4s"), "hello");
    StoredObject object = store.stat("a/b.m4s").await().orElseThrow();
    assertThat(object.size()).isEqualTo(5);
    assertThat(object.etag()).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
    assertThat(store.localFile("a/b.m4s")).contains(dir.resolve("store/a/b.m4s"));
  }

  @Test
  void absentObjectsAndFoldersAreEmpty() throws Exception {
    Files.createDirectories(dir.resolve("store/a"));
    assertThat(store.stat("a/missing").await()).isEmpty();
    assertThat(store.stat("a").await()).isEmpty();
  }

  @Test
  void symbolicLinksOutOfTheStoreAreAbsent() throws Exception {
    Files.createDirectories(dir.resolve("store"));
    Files.writeString(dir.resolve("secret"), "secret");
    Files.createSymbolicLink(dir.resolve("store/link"), dir.resolve("secret"));
    assertThat(store.stat("link").await()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../secret", "a/../../secret", "/etc/passwd", "a\\b", "a/%2e%2e/b", "a\0b", ""})
  void keysOutsideTheStoreAreRefused(String key) throws Exception {
    Files.createDirectories(dir.resolve("store"));
    Files.writeString(dir.resolve("secret"), "secret");
    assertThat(store.localFile(key)).isEmpty();
    assertThat(store.stat(key).await()).isEmpty();
  }
}
