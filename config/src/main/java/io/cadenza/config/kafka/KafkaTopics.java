package io.cadenza.config.kafka;

import io.cadenza.config.CadenzaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the configured topics that are missing. Existing topics are left as they are (their
 * partition count is an operator's decision once data flows). Blocking: call it from a worker.
 */
public final class KafkaTopics {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  private KafkaTopics() {}

  /**
   * @return the names of the topics this call created
   */
  public static List<String> ensure(
      Admin admin,
      List<CadenzaSettings.TopicSpec> topics,
      short replicationFactor,
      Duration timeout)
      throws InterruptedException, TimeoutException {
    try {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t.name()))
              .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor))
              .toList();
      if (missing.isEmpty()) {
        return List.of();
      }
      var result =
          admin.createTopics(
              missing, new CreateTopicsOptions().timeoutMs((int) timeout.toMillis()));
      List<String> created = new java.util.ArrayList<>();
      for (NewTopic topic : missing) {
        try {
          result.values().get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          created.add(topic.name());
          LOG.info(
              "Created Kafka topic {} with {} partitions.", topic.name(), topic.numPartitions());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return created;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka did not create the topics: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
