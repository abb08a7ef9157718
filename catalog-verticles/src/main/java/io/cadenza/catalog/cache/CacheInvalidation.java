package io.cadenza.catalog.cache;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.Map;
import java.util.UUID;
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

  private final KafkaConsumer<String, byte[]> consumer;

  private CacheInvalidation(KafkaConsumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  /** Subscribes; the future completes when the subscription is made. */
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
    return consumer.subscribe(CatalogChange.TOPIC).map(v -> new CacheInvalidation(consumer));
  }

  public Future<Void> close() {
    return consumer.close();
  }
}
