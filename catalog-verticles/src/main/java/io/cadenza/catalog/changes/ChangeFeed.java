package io.cadenza.catalog.changes;

import io.vertx.core.Future;

/** Where the catalog announces its writes (the {@value CatalogChange#TOPIC} Kafka topic). */
public interface ChangeFeed {

  /**
   * Publishes one change; the future completes when the broker has it (all in-sync replicas), and
   * fails when it could not be delivered within the producer's delivery timeout.
   */
  Future<Void> publish(CatalogChange change);
}
