package io.cadenza.catalog.changes;

import io.cadenza.config.CadenzaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * {@link ChangeFeed} on a Kafka topic. The record key is the entity id, so every change of one
 * entity lands on one partition and is read in the order it was written; the producer has {@code
 * acks=all} and idempotence on, so a retried send neither reorders nor duplicates within a producer
 * session.
 */
public final class KafkaChangeFeed implements ChangeFeed {

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  /**
   * On a producer made elsewhere, e.g. the node's own (configured as {@link #producerConfig}); the
   * caller closes it.
   */
  public KafkaChangeFeed(KafkaProducer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** A feed on {@value CatalogChange#TOPIC} with a producer of its own; close it with the feed. */
  public static KafkaChangeFeed create(Vertx vertx, CadenzaSettings.Kafka kafka, String clientId) {
    return new KafkaChangeFeed(
        KafkaProducer.create(vertx, producerConfig(kafka, clientId), String.class, byte[].class),
        CatalogChange.TOPIC);
  }

  /** The node's producer settings: acks from all in-sync replicas, idempotence, a short linger. */
  public static Map<String, String> producerConfig(CadenzaSettings.Kafka kafka, String clientId) {
    int timeoutMs = (int) kafka.requestTimeout().toMillis();
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServersString(),
        ProducerConfig.CLIENT_ID_CONFIG,
        clientId,
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        "true",
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        String.valueOf(Math.max(timeoutMs * 3, 30_000)),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        String.valueOf(timeoutMs),
        ProducerConfig.LINGER_MS_CONFIG,
        "5");
  }

  @Override
  public Future<Void> publish(CatalogChange change) {
    return producer
        .send(KafkaProducerRecord.create(topic, change.id(), change.toBytes()))
        .mapEmpty();
  }

  /** Sends what is buffered, then closes the producer. */
  public Future<Void> close() {
    return producer.close();
  }
}
