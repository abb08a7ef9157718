package io.cadenza.catalog.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.model.EntityType;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.CatalogRepository;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkWriterTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** A repository whose putTrack completes later (from the test) or fails at once. */
  private static CatalogRepository repository(
      Deque<Promise<CatalogChange>> pending, AtomicInteger calls, boolean fail) {
    return (CatalogRepository)
        Proxy.newProxyInstance(
            CatalogRepository.class.getClassLoader(),
            new Class<?>[] {CatalogRepository.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("putTrack")) {
                throw new UnsupportedOperationException(method.getName());
              }
              calls.incrementAndGet();
              if (fail) {
                return Future.failedFuture(new IllegalStateException("refused"));
              }
              Promise<CatalogChange> promise = Promise.promise();
              synchronized (pending) {
                pending.add(promise);
              }
              return promise.future();
            });
  }

  private static Track track(int n) {
    return SyntheticCatalogTest.generate(9, 200).tracks.get(n);
  }

  @Test
  void neverMoreWritesInFlightThanAllowed() throws Exception {
    Deque<Promise<CatalogChange>> pending = new ArrayDeque<>();
    AtomicInteger calls = new AtomicInteger();
    BulkWriter writer =
        new BulkWriter(repository(pending, calls, false), vertx.getOrCreateContext(), 4, null);
    Thread feeder =
        new Thread(
            () -> {
              for (int i = 0; i < 10; i++) {
                writer.track(track(i));
              }
            });
    feeder.start();
    int completed = 0;
    while (completed < 10) {
      Promise<CatalogChange> next;
      synchronized (pending) {
        assertThat(pending.size()).isLessThanOrEqualTo(4);
        next = pending.poll();
      }
      if (next == null) {
        Thread.onSpinWait();
        continue;
      }
      String id = track(completed).id();
      next.complete(CatalogChange.of(EntityType.TRACK, id, CatalogChange.Op.UPSERT, 1));
      completed++;
    }
    feeder.join(10_000);
    BulkWriter.Result result = writer.finish(10, TimeUnit.SECONDS);
    assertThat(result.tracks()).isEqualTo(10);
    assertThat(result.failed()).isZero();
    assertThat(calls.get()).isEqualTo(10);
  }

  @Test
  void failuresAreCountedAndTheWriterGivesUpAfterTheLimit() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    BulkWriter writer =
        new BulkWriter(
            repository(new ArrayDeque<>(), calls, true), vertx.getOrCreateContext(), 1, null);
    Track track = track(0);
    for (int i = 0; i < BulkWriter.MAX_FAILURES; i++) {
      writer.track(track);
    }
    assertThatThrownBy(
            () -> {
              writer.finish(10, TimeUnit.SECONDS); // the last failure is counted
              writer.track(track);
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("giving up");
    BulkWriter.Result result = writer.finish(10, TimeUnit.SECONDS);
    assertThat(result.failed()).isEqualTo(BulkWriter.MAX_FAILURES);
    assertThat(result.failures()).hasSize(20).allMatch(f -> f.contains("refused"));
  }
}
