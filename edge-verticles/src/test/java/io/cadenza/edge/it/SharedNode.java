package io.cadenza.edge.it;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.TestNodes;
import io.cadenza.edge.node.CadenzaNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One node, started once per test JVM against the test stack and shared by every integration test
 * class that uses this extension ({@code @ExtendWith(SharedNode.class)}); stopped, and its keyspace
 * dropped, when the JUnit run ends. Starting a node costs a keyspace and its migrations, so the
 * account, OAuth and hostile-input suites share one.
 *
 * <p>Its per-address limit is raised so suites that sign in many times from 127.0.0.1 do not trip
 * it; tests of that limit use their own node or their own address bucket. Its media store is {@link
 * #MEDIA_DIR}. Its listening topics and sink consumer group are its own (deleted at the end), so
 * its sink reads only this run's plays, into this run's keyspace.
 */
public final class SharedNode implements BeforeAllCallback {

  /** The node's media store: under the build folder, so a clean build removes it. */
  public static final Path MEDIA_DIR = Path.of("target", "it-media").toAbsolutePath();

  /** This run's listening topics and sink group: no other run's plays, none of its offsets. */
  private static final String LISTENING =
      "it-listening-" + UUID.randomUUID().toString().substring(0, 8);

  private static final Map<String, String> OVERRIDES =
      Map.of(
          "cadenza.edge.rate-limit.per-address.capacity",
          "100000",
          "cadenza.edge.rate-limit.per-address.refill-per-second",
          "100000",
          "cadenza.media.store-dir",
          MEDIA_DIR.toString(),
          "cadenza.listening.topic",
          LISTENING,
          "cadenza.listening.dead-letter-topic",
          LISTENING + "-dlq",
          "cadenza.listening.consumer-group",
          LISTENING);

  private static Running running;

  /** The node and its settings. */
  public record Running(CadenzaNode node, CadenzaSettings settings)
      implements ExtensionContext.Store.CloseableResource {

    public String url() {
      return node.url();
    }

    /**
     * A consumer of every partition of this node's listening topic, from its end now (the end
     * offsets are resolved before it is returned, so it sees only what is published after).
     */
    public KafkaConsumer<String, byte[]> listeningConsumerFromEnd() {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions =
          consumer.partitionsFor(settings.listening().topic()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      return consumer;
    }

    @Override
    public void close() throws Exception {
      try {
        TestNodes.dropKeyspace(node.infrastructure().cql(), settings.cql().keyspace());
        node.infrastructure()
            .kafkaAdmin()
            .deleteTopics(
                List.of(settings.listening().topic(), settings.listening().deadLetterTopic()))
            .all()
            .get(30, TimeUnit.SECONDS);
      } finally {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    get(context);
  }

  /** The shared node, started on first use. */
  public static synchronized Running get(ExtensionContext context) throws Exception {
    if (running == null) {
      CadenzaSettings settings = TestNodes.settings("shared-it", new HashMap<>(OVERRIDES));
      CadenzaNode node =
          CadenzaNode.start(settings)
              .toCompletionStage()
              .toCompletableFuture()
              .get(120, TimeUnit.SECONDS);
      // The search index is rebuilt in the background; the suites expect a ready node.
      node.catalog()
          .search()
          .ready()
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      running = new Running(node, settings);
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SharedNode.class, running);
    }
    return running;
  }

  /** The shared node; only after the extension ran. */
  public static synchronized Running running() {
    if (running == null) {
      throw new IllegalStateException("Annotate the test class with @ExtendWith(SharedNode.class)");
    }
    return running;
  }
}
