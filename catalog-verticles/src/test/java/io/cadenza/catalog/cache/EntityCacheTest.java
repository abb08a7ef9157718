package io.cadenza.catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.catalog.model.Artist;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The near-cache's single flight, eviction and counters, with Redis down (every call fails). */
class EntityCacheTest {

  private static final String ID = "0OdUWJ0sBjDrqHygGUXeCF";
  private static final Artist ARTIST = new Artist(ID, "A", List.of(), 1, List.of());

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void concurrentMissesOfOneIdShareOneLoad() throws Exception {
    Promise<Map<String, Artist>> database = Promise.promise();
    EntityCache<Artist> cache = cache(ids -> database.future());
    Future<Map<String, Artist>> first = cache.getAll(List.of(ID));
    Future<Map<String, Artist>> second = cache.getAll(List.of(ID));
    database.complete(Map.of(ID, ARTIST));
    assertThat(result(first)).containsEntry(ID, ARTIST);
    assertThat(result(second)).containsEntry(ID, ARTIST);
    assertThat(loads).hasValue(1);
  }

  @Test
  void redisDownReadsGoToTheDatabaseWithoutError() throws Exception {
    EntityCache<Artist> cache = cache(ids -> Future.succeededFuture(Map.of(ID, ARTIST)));
    assertThat(result(cache.getAll(List.of(ID)))).containsEntry(ID, ARTIST);
    assertThat(result(cache.getAll(List.of(ID)))).containsEntry(ID, ARTIST);
    assertThat(loads).hasValue(1);
    assertThat(count("near", "miss")).isEqualTo(1);
    assertThat(count("near", "hit")).isEqualTo(1);
    assertThat(count("redis", "miss")).isEqualTo(1);
  }

  @Test
  void evictedIdIsLoadedAgain() throws Exception {
    EntityCache<Artist> cache = cache(ids -> Future.succeededFuture(Map.of(ID, ARTIST)));
    result(cache.getAll(List.of(ID)));
    result(cache.evict(ID));
    result(cache.getAll(List.of(ID)));
    assertThat(loads).hasValue(2);
  }

  @Test
  void unknownIdsAreLeftOutAndNotCached() throws Exception {
    EntityCache<Artist> cache = cache(ids -> Future.succeededFuture(Map.of()));
    assertThat(result(cache.getAll(List.of(ID)))).isEmpty();
    assertThat(result(cache.getAll(List.of(ID)))).isEmpty();
    assertThat(loads).hasValue(2);
  }

  private EntityCache<Artist> cache(
      Function<Collection<String>, Future<Map<String, Artist>>> database) {
    return new EntityCache<>(
        vertx,
        "artist",
        downRedis(),
        CacheSettings.DEFAULT,
        metrics,
        new AtomicBoolean(),
        RecordJson::artist,
        RecordJson::artist,
        ids -> {
          loads.incrementAndGet();
          return database.apply(ids);
        });
  }

  private double count(String cache, String result) {
    return metrics
        .get("cadenza.catalog.cache.requests")
        .tag("cache", cache)
        .tag("result", result)
        .counter()
        .count();
  }

  /** A Redis client whose every call fails as when the server is down. */
  private static Redis downRedis() {
    return (Redis)
        Proxy.newProxyInstance(
            Redis.class.getClassLoader(),
            new Class<?>[] {Redis.class},
            (proxy, method, args) ->
                method.getReturnType() == Future.class
                    ? Future.failedFuture(new ConnectException("Connection refused"))
                    : null);
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
