package io.cadenza.catalog.changes;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@value CatalogChange#TOPIC} on this node: a consumer group of its own per start, so
 * every node sees every change, from the end of the topic (what came before is in the tables). A
 * record that is not a catalog change is skipped with a warning.
 */
public final class ChangeFollower {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);

  /** How long start waits for the group coordinator to assign the topic's partitions. */
  private static final long ASSIGNMENT_TIMEOUT_SECONDS = 60;

  private final KafkaConsumer<String, byte[]> consumer;

  private ChangeFollower(KafkaConsumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  /**
   * Subscribes and hands every change to {@code onChange} (on the consumer's context); completes
   * once the topic's partitions are assigned, since a change published before that would be missed.
   *
   * @param purpose names the group and the log lines, e.g. {@code catalog-cache}
   */
  public static Future<ChangeFollower> start(
      Vertx vertx,
      CadenzaSettings.Kafka kafka,
      String nodeName,
      String purpose,
      Consumer<CatalogChange> onChange) {
    String group = "cadenza-" + purpose + "-" + nodeName + "-" + UUID.randomUUID();
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
          CatalogChange change;
          try {
            change = CatalogChange.fromBytes(record.value());
          } catch (ValidationException e) {
            LOG.warn(
                "Skipped a record of {} at offset {} that is not a catalog change: {}",
                record.topic(),
                record.offset(),
                e.getMessage());
            return;
          }
          onChange.accept(change);
        });
    consumer.exceptionHandler(
        e -> LOG.warn("The {} change consumer failed: {}", purpose, e.toString()));
    Promise<Void> assigned = Promise.promise();
    consumer.partitionsAssignedHandler(partitions -> assigned.tryComplete());
    return consumer
        .subscribe(CatalogChange.TOPIC)
        .compose(v -> assigned.future().timeout(ASSIGNMENT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .map(v -> new ChangeFollower(consumer))
        .onFailure(e -> consumer.close());
  }

  /** Stops following. */
  public Future<Void> close() {
    return consumer.close();
  }
}
