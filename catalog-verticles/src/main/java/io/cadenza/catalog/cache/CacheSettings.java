package io.cadenza.catalog.cache;

import java.time.Duration;

/**
 * How long and how much the catalog caches keep.
 *
 * @param redisTtl how long a record stays in Redis
 * @param nearTtl how long a record stays in a node's near-cache (a bound for a missed change event)
 * @param nearMaxEntries how many records of each kind the near-cache keeps
 */
public record CacheSettings(Duration redisTtl, Duration nearTtl, long nearMaxEntries) {

  /** Ten minutes in Redis, one minute and 100 000 records of each kind near. */
  public static final CacheSettings DEFAULT =
      new CacheSettings(Duration.ofMinutes(10), Duration.ofMinutes(1), 100_000);
}
