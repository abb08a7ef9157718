package io.cadenza.catalog.cache;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@value CatalogChange#TOPIC} feed and evicts each changed entity from the node's
 * caches. Every node must see every change, so each consumer is alone in a group of its own (a
 * fresh group id per start, no committed offsets: it reads from the end of the topic, as a cache
 * that starts empty needs nothing older).
 */
public final class CacheInvalidation {

  private static final Logger LOG = LoggerFactory.getLogger(CacheInvalidation.class);

  /** How long start waits for the group coordinator to assign the topic's partitions. */
  private static final long ASSIGNMENT_TIMEOUT_SECONDS = 60;

  private final KafkaConsumer<String, byte[]> consumer;

  private CacheInvalidation(KafkaConsumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  /** Subscribes; the future completes when the topic's partitions are assigned. */
  public static Future<CacheInvalidation> start(
      Vertx vertx, CadenzaSettings.Kafka kafka, String nodeName, CachedCatalog cache) {
    String group = "cadenza-catalog-cache-" + nodeName + "-" + UUID.randomUUID();
    Map<String, String> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServersString(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.CLIENT_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "latest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false");
    KafkaConsumer<String, byte[]> consumer =
        KafkaConsumer.create(vertx, config, String.class, byte[].class);
    consumer.handler(
        record -> {
          try {
            CatalogChange change = CatalogChange.fromBytes(record.value());
            cache.evict(change);
          } catch (ValidationException e) {
            LOG.warn(
                "Skipped a record of {} at offset {} that is not a catalog change: {}",
                record.topic(),
                record.offset(),
                e.getMessage());
          }
        });
    consumer.exceptionHandler(
        e -> LOG.warn("The catalog cache's change consumer failed: {}", e.toString()));
    // Ready once the topic's partitions are assigned: a change published before that would be
    // missed (the consumer starts at the end of the topic).
    Promise<Void> assigned = Promise.promise();
    consumer.partitionsAssignedHandler(partitions -> assigned.tryComplete());
    return consumer
        .subscribe(CatalogChange.TOPIC)
        .compose(v -> assigned.future().timeout(ASSIGNMENT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .map(v -> new CacheInvalidation(consumer))
        .onFailure(e -> consumer.close());
  }

  public Future<Void> close() {
    return consumer.close();
  }
}
