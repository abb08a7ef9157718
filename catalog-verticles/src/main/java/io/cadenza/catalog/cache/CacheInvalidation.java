package io.cadenza.catalog.cache;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.ChangeFollower;
import io.cadenza.config.CadenzaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Follows the {@value CatalogChange#TOPIC} feed and evicts each changed entity from the node's
 * caches. Every node must see every change, so each consumer is alone in a group of its own (a
 * fresh group id per start, no committed offsets: it reads from the end of the topic, as a cache
 * that starts empty needs nothing older).
 */
public final class CacheInvalidation {

  private final ChangeFollower follower;

  private CacheInvalidation(ChangeFollower follower) {
    this.follower = follower;
  }

  /** Subscribes; the future completes when the topic's partitions are assigned. */
  public static Future<CacheInvalidation> start(
      Vertx vertx, CadenzaSettings.Kafka kafka, String nodeName, CachedCatalog cache) {
    return ChangeFollower.start(vertx, kafka, nodeName, "catalog-cache", cache::evict)
        .map(CacheInvalidation::new);
  }

  public Future<Void> close() {
    return follower.close();
  }
}
