package io.cadenza.edge.policy.impl;

import io.cadenza.edge.policy.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RateLimiter} on one Lua script, called with EVALSHA (EVAL when Redis has not cached the
 * script, which also caches it). The script reads the clock with Redis {@code TIME}, so every node
 * shares one clock and no node's clock skew matters.
 */
public final class RedisRateLimiter implements RateLimiter {

  /**
   * KEYS[1..n]: bucket keys; KEYS[n+1], when present: the revocation key of the access token.
   * ARGV[1]: n; ARGV[2i], ARGV[2i+1]: capacity and refill per second of bucket i. A bucket is a
   * hash {tokens, at} (tokens after the last take, at = Redis time of it in ms); a missing bucket
   * is full. Returns {revoked, allowed, retry-after ms, whole tokens left in the emptiest bucket}.
   */
  static final String SCRIPT =
      """
      local n = tonumber(ARGV[1])
      if #KEYS > n and redis.call('EXISTS', KEYS[n + 1]) == 1 then
        return {1, 0, 0, -1}
      end
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
      local levels = {}
      local wait = 0
      for i = 1, n do
        local capacity = tonumber(ARGV[2 * i])
        local rate = tonumber(ARGV[2 * i + 1])
        local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
        local tokens = capacity
        if state[1] and state[2] then
          local elapsed = math.max(0, now - tonumber(state[2]))
          tokens = math.min(capacity, tonumber(state[1]) + elapsed * rate / 1000)
        end
        levels[i] = tokens
        if tokens < 1 then
          wait = math.max(wait, (1 - tokens) * 1000 / rate)
        end
      end
      if wait > 0 then
        return {0, 0, math.ceil(wait), -1}
      end
      local remaining = -1
      for i = 1, n do
        local capacity = tonumber(ARGV[2 * i])
        local rate = tonumber(ARGV[2 * i + 1])
        local left = levels[i] - 1
        redis.call('HSET', KEYS[i], 'tokens', string.format('%.17g', left),
          'at', string.format('%.17g', now))
        local ttl = math.ceil((capacity - left) * 1000 / rate) + 1000
        redis.call('PEXPIRE', KEYS[i], string.format('%.0f', ttl))
        if remaining < 0 or left < remaining then
          remaining = left
        end
      end
      return {0, 1, 0, math.floor(remaining)}
      """;

  static final String REVOKED_PREFIX = "cadenza:revoked:";

  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final String SHA = sha1(SCRIPT);

  private final PipelinedConnection redis;
  private final long timeoutMillis;
  private final Counter allowed;
  private final Counter limited;
  private final Counter revoked;
  private final Counter failOpen;
  private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());
  private final AtomicLong uncheckedSinceWarning = new AtomicLong();
  private final AtomicBoolean failing = new AtomicBoolean();

  public RedisRateLimiter(Redis redis, MeterRegistry registry, Duration timeout) {
    this.redis = new PipelinedConnection(redis);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeoutMillis = timeout.toMillis();
    this.allowed = decisions(registry, "allowed");
    this.limited = decisions(registry, "limited");
    this.revoked = decisions(registry, "revoked");
    this.failOpen =
        Counter.builder("cadenza.rate.limit.fail.open")
            .description("Requests allowed without a rate-limit or revocation check (Redis failed)")
            .register(registry);
  }

  private static Counter decisions(MeterRegistry registry, String outcome) {
    return Counter.builder("cadenza.rate.limit.decisions")
        .description("Rate-limit decisions made by Redis")
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public Future<Decision> acquire(String tokenId, List<Limit> limits) {
    if (tokenId == null && limits.isEmpty()) {
      return Future.succeededFuture(Decision.allowed(-1));
    }
    Set<String> seen = new HashSet<>();
    for (Limit limit : limits) {
      if (!seen.add(limit.key())) {
        throw new IllegalArgumentException("two limits share the key " + limit.key());
      }
    }
    Request evalsha = script(Request.cmd(Command.EVALSHA).arg(SHA), tokenId, limits);
    return redis
        .send(evalsha)
        .recover(
            failure ->
                isNoScript(failure)
                    ? redis.send(script(Request.cmd(Command.EVAL).arg(SCRIPT), tokenId, limits))
                    : Future.failedFuture(failure))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(this::decision)
        .otherwise(this::failOpen);
  }

  @Override
  public Future<Void> warmUp() {
    return redis
        .send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT))
        .timeout(10 * timeoutMillis, TimeUnit.MILLISECONDS)
        .onFailure(
            failure ->
                LOG.atWarn()
                    .log(
                        "Could not prepare the rate-limit script in Redis at start ({}).",
                        failure.toString()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  @Override
  public Future<Void> revoke(String tokenId, Instant expiresAt) {
    Objects.requireNonNull(tokenId, "tokenId");
    long ttl = Duration.between(Instant.now(), expiresAt).toMillis();
    if (ttl <= 0) {
      return Future.succeededFuture();
    }
    return redis
        .send(Request.cmd(Command.SET).arg(REVOKED_PREFIX + tokenId).arg("1").arg("PX").arg(ttl))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  private static Request script(Request request, String tokenId, List<Limit> limits) {
    request.arg(limits.size() + (tokenId == null ? 0 : 1));
    for (Limit limit : limits) {
      request.arg(limit.key());
    }
    if (tokenId != null) {
      request.arg(REVOKED_PREFIX + tokenId);
    }
    request.arg(limits.size());
    for (Limit limit : limits) {
      request.arg(limit.bucket().capacity()).arg(Double.toString(limit.bucket().refillPerSecond()));
    }
    return request;
  }

  private Decision decision(Response reply) {
    if (failing.compareAndSet(true, false)) {
      LOG.info("Redis answers rate-limit checks again; rate limiting and revocation are back on.");
    }
    if (reply.get(0).toInteger() == 1) {
      revoked.increment();
      return Decision.revoked();
    }
    if (reply.get(1).toInteger() == 1) {
      allowed.increment();
      return Decision.allowed(reply.get(3).toLong());
    }
    limited.increment();
    return Decision.limited(reply.get(2).toLong());
  }

  private Decision failOpen(Throwable failure) {
    failOpen.increment();
    if (failure instanceof java.util.concurrent.TimeoutException) {
      redis.resetIfSilentFor(TimeUnit.MILLISECONDS.toNanos(4 * timeoutMillis));
    }
    failing.set(true);
    long unchecked = uncheckedSinceWarning.incrementAndGet();
    long now = System.nanoTime();
    long next = nextWarning.get();
    if (now - next >= 0 && nextWarning.compareAndSet(next, now + WARN_INTERVAL_NANOS)) {
      uncheckedSinceWarning.addAndGet(-unchecked);
      LOG.atWarn()
          .addKeyValue("uncheckedRequests", unchecked)
          .addKeyValue("timeoutMs", timeoutMillis)
          .log(
              "Redis failed or did not answer a rate-limit check within {} ms ({}); requests are"
                  + " allowed without rate limiting or revocation checks until it answers again"
                  + " ({} so far since the last warning).",
              timeoutMillis,
              failure.toString(),
              unchecked);
    }
    return Decision.unchecked();
  }

  private static boolean isNoScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
