package io.cadenza.edge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cadenza.analytics.ListeningEvent;
import io.cadenza.analytics.ListeningEventJson;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.TestNodes;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's listening sink: listening topics of its own names are created (12 and 3 partitions),
 * an event produced there lands in the node's keyspace, a bad record is dead-lettered, and the
 * sink's meters are on the node's /metrics page.
 */
class NodeListeningSinkIT {

  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static CadenzaNode node;
  private static CadenzaSettings settings;

  @BeforeAll
  static void start() throws Exception {
    settings =
        TestNodes.settings(
            "node-sink-it",
            Map.of(
                "cadenza.listening.topic", "it-node-plays-" + SUFFIX,
                "cadenza.listening.dead-letter-topic", "it-node-plays-dlq-" + SUFFIX,
                "cadenza.listening.consumer-group", "it-node-plays-" + SUFFIX,
                "cadenza.listening.sink-instances", "2"));
    node =
        CadenzaNode.start(settings)
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      var admin = node.infrastructure().kafkaAdmin();
      try {
        admin
            .deleteTopics(
                List.of(settings.listening().topic(), settings.listening().deadLetterTopic()))
            .all()
            .get(30, TimeUnit.SECONDS);
        TestNodes.dropKeyspace(node.infrastructure().cql(), settings.cql().keyspace());
      } finally {
        node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void anEventProducedToTheNodesTopicIsWrittenAndABadOneDeadLettered() throws Exception {
    var topics =
        node.infrastructure()
            .kafkaAdmin()
            .describeTopics(
                List.of(settings.listening().topic(), settings.listening().deadLetterTopic()))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS);
    assertThat(topics.get(settings.listening().topic()).partitions()).hasSize(12);
    assertThat(topics.get(settings.listening().deadLetterTopic()).partitions()).hasSize(3);

    ListeningEvent event =
        new ListeningEvent(
            UUID.randomUUID(),
            "user-" + SUFFIX,
            "track1",
            "device1",
            null,
            Instant.now().minusSeconds(300),
            120_000,
            "clickrow",
            "trackdone",
            false,
            false,
            null,
            "SE");
    var producer = node.infrastructure().kafkaProducer();
    producer
        .send(
            KafkaProducerRecord.create(
                settings.listening().topic(), "bad", "{".getBytes(StandardCharsets.UTF_8)))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    producer
        .send(
            KafkaProducerRecord.create(
                settings.listening().topic(), event.userId(), ListeningEventJson.write(event)))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    await("the event in the node's listening log")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                node.infrastructure()
                        .cql()
                        .execute(
                            SimpleStatement.newInstance(
                                "SELECT event_id FROM "
                                    + settings.cql().keyspace()
                                    + ".listening_log WHERE user_id = ? AND month = ?",
                                event.userId(),
                                event.month()))
                        .one()
                    != null);
    await("the sink's meters on /metrics")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(TestNodes.get(node.url() + "/metrics").body())
                    .contains("cadenza_listening_sink_events_total{outcome=\"written\"} 1.0")
                    .contains("cadenza_listening_sink_events_total{outcome=\"dead_lettered\"} 1.0")
                    .contains("cadenza_listening_sink_lag")
                    .contains("cadenza_listening_sink_batch_seconds_count"));
  }
}
