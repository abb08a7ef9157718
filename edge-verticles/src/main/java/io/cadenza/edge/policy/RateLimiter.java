package io.cadenza.edge.policy;

import io.cadenza.config.CadenzaSettings.Bucket;
import io.cadenza.edge.policy.impl.RedisRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Token buckets and access-token revocation, both answered by one atomic Redis script call.
 *
 * <p>{@link #acquire} takes one token from every bucket it is given, or from none of them when any
 * is empty, so a refused request costs nothing. When Redis fails or does not answer within the
 * timeout the limiter fails open: the request is allowed, a warning is logged (at most every 10 s)
 * and {@code cadenza.rate.limit.fail.open} is incremented.
 */
public interface RateLimiter {

  /** How long a check may wait for Redis before the request is allowed unchecked. */
  Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

  /** A limiter on {@code redis} with the {@link #DEFAULT_TIMEOUT}. */
  static RateLimiter create(Redis redis, MeterRegistry registry) {
    return create(redis, registry, DEFAULT_TIMEOUT);
  }

  /** A limiter on {@code redis}; a check not answered within {@code timeout} fails open. */
  static RateLimiter create(Redis redis, MeterRegistry registry, Duration timeout) {
    return new RedisRateLimiter(redis, registry, timeout);
  }

  /**
   * Checks whether the access token {@code tokenId} is revoked and takes one token from each of
   * {@code limits} if all have one, in one Redis round trip. A revoked token takes nothing.
   *
   * @param tokenId the access token's {@code jti}, or null when the caller is not authenticated
   * @param limits the buckets to take from; their keys must differ
   * @return the decision; never a failed future (Redis trouble gives {@link Outcome#UNCHECKED})
   */
  Future<Decision> acquire(String tokenId, List<Limit> limits);

  /**
   * Opens the connection and loads the script ahead of the first request, so the first burst of
   * checks does not pay for them (and time out into fail-open). Never fails: a Redis that is down
   * now is reported by the checks and by readiness.
   */
  Future<Void> warmUp();

  /**
   * Marks the access token {@code tokenId} revoked until {@code expiresAt} (after which it is
   * refused as expired anyway). Fails when Redis does not confirm: revocation does not fail open.
   */
  Future<Void> revoke(String tokenId, Instant expiresAt);

  /** One bucket: its Redis key and its size. */
  record Limit(String key, Bucket bucket) {

    public Limit {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(bucket, "bucket");
    }

    /** The bucket of a user, shared by all of the user's apps and devices. */
    public static Limit user(String userId, Bucket bucket) {
      return new Limit("cadenza:rl:user:" + userId, bucket);
    }

    /** The bucket of a client app, shared by all of its users. */
    public static Limit client(String clientId, Bucket bucket) {
      return new Limit("cadenza:rl:client:" + clientId, bucket);
    }

    /** The bucket of a caller address, for endpoints that take credentials. */
    public static Limit address(String host, Bucket bucket) {
      return new Limit("cadenza:rl:addr:" + host, bucket);
    }
  }

  /** What a check decided. */
  enum Outcome {
    /** A token was taken from every bucket. */
    ALLOWED,
    /** A bucket was empty; nothing was taken. */
    LIMITED,
    /** The access token is revoked; nothing was taken. */
    REVOKED,
    /** Redis failed or did not answer in time; the request is allowed without a check. */
    UNCHECKED
  }

  /**
   * A decision.
   *
   * @param outcome what was decided
   * @param retryAfter when {@link Outcome#LIMITED}: whole seconds (at least 1) until every bucket
   *     has a token again; otherwise zero
   * @param remaining when {@link Outcome#ALLOWED}: whole tokens left in the emptiest bucket;
   *     otherwise -1
   */
  record Decision(Outcome outcome, Duration retryAfter, long remaining) {

    private static final Decision REVOKED = new Decision(Outcome.REVOKED, Duration.ZERO, -1);
    private static final Decision UNCHECKED = new Decision(Outcome.UNCHECKED, Duration.ZERO, -1);

    public Decision {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public static Decision allowed(long remaining) {
      return new Decision(Outcome.ALLOWED, Duration.ZERO, remaining);
    }

    /** Refused; {@code retryAfterMillis} is rounded up to whole seconds, at least one. */
    public static Decision limited(long retryAfterMillis) {
      long seconds = Math.max(1, (retryAfterMillis + 999) / 1000);
      return new Decision(Outcome.LIMITED, Duration.ofSeconds(seconds), -1);
    }

    public static Decision revoked() {
      return REVOKED;
    }

    public static Decision unchecked() {
      return UNCHECKED;
    }

    /** Whether the request may proceed (checked and allowed, or allowed because Redis failed). */
    public boolean allowed() {
      return outcome == Outcome.ALLOWED || outcome == Outcome.UNCHECKED;
    }
  }
}
