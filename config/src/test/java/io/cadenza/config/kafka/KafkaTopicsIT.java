package io.cadenza.config.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.SettingsLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/** Against the real Kafka of the test stack (CADENZA_KAFKA_BOOTSTRAP_SERVERS). */
class KafkaTopicsIT {

  @Test
  void missingTopicsAreCreatedWithTheirPartitionsAndExistingOnesKept() throws Exception {
    CadenzaSettings.Kafka kafka = SettingsLoader.load().kafka();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    List<CadenzaSettings.TopicSpec> topics =
        List.of(
            new CadenzaSettings.TopicSpec("it-events-" + suffix, 4),
            new CadenzaSettings.TopicSpec("it-changes-" + suffix, 2));
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServersString()))) {
      Duration timeout = Duration.ofSeconds(30);
      assertThat(KafkaTopics.ensure(admin, topics, (short) 1, timeout))
          .containsExactlyInAnyOrder("it-events-" + suffix, "it-changes-" + suffix);

      Map<String, TopicDescription> described =
          admin
              .describeTopics(List.of("it-events-" + suffix, "it-changes-" + suffix))
              .allTopicNames()
              .get();
      assertThat(described.get("it-events-" + suffix).partitions()).hasSize(4);
      assertThat(described.get("it-changes-" + suffix).partitions()).hasSize(2);

      assertThat(KafkaTopics.ensure(admin, topics, (short) 1, timeout)).isEmpty();
      admin.deleteTopics(List.of("it-events-" + suffix, "it-changes-" + suffix)).all().get();
    }
  }
}
