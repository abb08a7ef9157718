package io.cadenza.catalog.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of entity (artists, albums or tracks) behind two caches: the node's near-cache
 * (Caffeine) and Redis, cache-aside, in front of the repository's batch read.
 *
 * <p>A miss of the near-cache loads through Caffeine's {@link AsyncCache#getAll}, so concurrent
 * misses of one id share one load (single flight). The load asks Redis ({@code MGET}) for the
 * missing ids, reads what Redis lacks from the database in one batch, and writes those back to
 * Redis with a TTL. When Redis fails the load goes to the database alone, logging one WARN until
 * Redis answers again. Unknown ids are not cached.
 */
final class EntityCache<T> {

  private static final Logger LOG = LoggerFactory.getLogger(EntityCache.class);

  private final Vertx vertx;
  private final String type;
  private final Redis redis;
  private final Duration ttl;
  private final Function<T, String> encode;
  private final Function<String, T> decode;
  private final Function<Collection<String>, Future<Map<String, T>>> load;
  private final AsyncCache<String, T> near;
  private final AtomicBoolean redisDown;
  private final Counter nearHit;
  private final Counter nearMiss;
  private final Counter redisHit;
  private final Counter redisMiss;

  EntityCache(
      Vertx vertx,
      String type,
      Redis redis,
      CacheSettings settings,
      MeterRegistry metrics,
      AtomicBoolean redisDown,
      Function<T, String> encode,
      Function<String, T> decode,
      Function<Collection<String>, Future<Map<String, T>>> load) {
    this.vertx = vertx;
    this.type = type;
    this.redis = redis;
    this.ttl = settings.redisTtl();
    this.encode = encode;
    this.decode = decode;
    this.load = load;
    this.redisDown = redisDown;
    this.near =
        Caffeine.newBuilder()
            .maximumSize(settings.nearMaxEntries())
            .expireAfterWrite(settings.nearTtl())
            .buildAsync();
    this.nearHit = counter(metrics, "near", "hit");
    this.nearMiss = counter(metrics, "near", "miss");
    this.redisHit = counter(metrics, "redis", "hit");
    this.redisMiss = counter(metrics, "redis", "miss");
  }

  private Counter counter(MeterRegistry metrics, String cache, String result) {
    return Counter.builder("cadenza.catalog.cache.requests")
        .description("Catalog cache lookups by cache (near, redis) and result (hit, miss)")
        .tag("cache", cache)
        .tag("result", result)
        .tag("type", type)
        .register(metrics);
  }

  /** The entities of {@code ids} that exist, by id (unknown ones left out). */
  Future<Map<String, T>> getAll(Collection<String> ids) {
    Set<String> wanted = new LinkedHashSet<>(ids);
    if (wanted.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    var context = vertx.getOrCreateContext();
    int[] loaded = {0};
    CompletableFuture<Map<String, T>> all =
        near.getAll(
            wanted,
            (missing, executor) -> {
              loaded[0] = missing.size();
              return loadMissing(List.copyOf(missing)).toCompletionStage().toCompletableFuture();
            });
    nearMiss.increment(loaded[0]);
    nearHit.increment(wanted.size() - loaded[0]);
    return Future.fromCompletionStage(all, context)
        .map(
            found -> {
              Map<String, T> out = new LinkedHashMap<>();
              for (String id : wanted) {
                T entity = found.get(id);
                if (entity != null) {
                  out.put(id, entity);
                }
              }
              return out;
            });
  }

  /** Drops an id from both caches (the Redis delete is best effort). */
  Future<Void> evict(String id) {
    near.synchronous().invalidate(id);
    return redis
        .send(Request.cmd(Command.DEL).arg(key(id)))
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  private Future<Map<String, T>> loadMissing(List<String> ids) {
    return fromRedis(ids)
        .compose(
            cached -> {
              redisHit.increment(cached.size());
              List<String> rest = new ArrayList<>();
              for (String id : ids) {
                if (!cached.containsKey(id)) {
                  rest.add(id);
                }
              }
              redisMiss.increment(rest.size());
              if (rest.isEmpty()) {
                return Future.succeededFuture(cached);
              }
              return load.apply(rest)
                  .map(
                      read -> {
                        toRedis(read);
                        Map<String, T> out = new LinkedHashMap<>(cached);
                        out.putAll(read);
                        return out;
                      });
            });
  }

  private Future<Map<String, T>> fromRedis(List<String> ids) {
    Request mget = Request.cmd(Command.MGET);
    ids.forEach(id -> mget.arg(key(id)));
    return redis
        .send(mget)
        .map(
            reply -> {
              redisAnswered();
              Map<String, T> out = new LinkedHashMap<>();
              for (int i = 0; i < ids.size(); i++) {
                Response value = reply.get(i);
                if (value != null) {
                  out.put(ids.get(i), decode.apply(value.toString()));
                }
              }
              return out;
            })
        .recover(
            e -> {
              redisFailed(e);
              return Future.succeededFuture(Map.of());
            });
  }

  private void toRedis(Map<String, T> read) {
    read.forEach(
        (id, entity) ->
            redis
                .send(
                    Request.cmd(Command.SET)
                        .arg(key(id))
                        .arg(encode.apply(entity))
                        .arg("PX")
                        .arg(ttl.toMillis()))
                .onFailure(this::redisFailed));
  }

  private void redisAnswered() {
    if (redisDown.compareAndSet(true, false)) {
      LOG.info("Redis answers again; the catalog cache uses it again.");
    }
  }

  private void redisFailed(Throwable e) {
    if (redisDown.compareAndSet(false, true)) {
      LOG.warn(
          "Redis failed ({}); catalog reads go to the database until it answers again.",
          e.toString());
    }
  }

  private String key(String id) {
    return "cadenza:catalog:" + type + ":" + id;
  }
}
