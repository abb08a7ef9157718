package io.cadenza.media.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.media.store.LocalDiskObjectStore;
import io.cadenza.media.store.MediaKeys;
import io.cadenza.media.store.StoredObject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryCacheTest {

  private static final String HASH = "cd" + "1".repeat(62);

  @TempDir Path temp;
  private Vertx vertx;
  private LocalDiskObjectStore store;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = LocalDiskObjectStore.create(vertx, temp.resolve("store"));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aSmallFileIsKeptWithItsBytesAndServedFromMemoryAfterwards() throws Exception {
    String key = segment(1);
    StoredObject put = put(key, 3000);
    DeliveryCache cache = new DeliveryCache(vertx, store, 1 << 20, 64 * 1024);

    DeliveryCache.Entry first = await(cache.find(key)).orElseThrow();

    assertThat(first.object()).isEqualTo(put);
    assertThat(first.bytes().getBytes()).isEqualTo(Files.readAllBytes(first.file()));
    // Gone from disk, still answered from memory: the second find did not look at the store.
    Files.delete(first.file());
    assertThat(await(cache.find(key))).containsSame(first);
    // Forgotten, the store is asked again and has nothing.
    cache.forget(key);
    assertThat(await(cache.find(key))).isEmpty();
  }

  @Test
  void largeFilesAndAZeroBudgetKeepNoBytes() throws Exception {
    String small = segment(1);
    String large = segment(2);
    put(small, 1000);
    put(large, 70_000);

    DeliveryCache cache = new DeliveryCache(vertx, store, 1 << 20, 64 * 1024);
    assertThat(await(cache.find(small)).orElseThrow().bytes()).isNotNull();
    assertThat(await(cache.find(large)).orElseThrow().bytes()).isNull();

    DeliveryCache off = new DeliveryCache(vertx, store, 0, 64 * 1024);
    DeliveryCache.Entry entry = await(off.find(small)).orElseThrow();
    assertThat(entry.bytes()).isNull();
    assertThat(entry.file()).exists().hasSize(1000);
  }

  @Test
  void absentFilesAreNotFound() throws Exception {
    DeliveryCache cache = new DeliveryCache(vertx, store, 1 << 20, 64 * 1024);

    assertThat(await(cache.find(segment(9)))).isEqualTo(Optional.empty());
  }

  @Test
  void keptBytesStayWithinTheBudget() throws Exception {
    long budget = 100_000;
    DeliveryCache cache = new DeliveryCache(vertx, store, budget, 64 * 1024);
    for (int i = 1; i <= 12; i++) {
      put(segment(i), 30_000);
      assertThat(await(cache.find(segment(i)))).isPresent();
    }

    assertThat(cache.keptBytes())
        .isPositive()
        .isLessThanOrEqualTo(budget + DeliveryCache.ENTRIES_WITHOUT_BYTES);
  }

  private static String segment(int n) {
    return MediaKeys.variant(HASH, "aac-64") + "seg-%05d.m4s".formatted(n);
  }

  private StoredObject put(String key, int size) throws Exception {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + size);
    }
    Path source = Files.write(temp.resolve("source-" + size), bytes);
    return await(store.put(key, source));
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
