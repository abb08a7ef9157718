package io.cadenza.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import com.typesafe.config.ConfigFactory;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.SettingsLoader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class ListeningSinkTest {

  private static final String KEYS =
      "test1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void aWriteScyllaRefusesIsPermanentAndTimeoutsAreNot() {
    assertThat(Retrying.isPermanent(new InvalidQueryException(null, "unconfigured table")))
        .isTrue();
    assertThat(
            Retrying.isPermanent(
                new CompletionException(new InvalidQueryException(null, "unconfigured table"))))
        .isTrue();
    assertThat(Retrying.isPermanent(new DriverTimeoutException("timed out"))).isFalse();
    assertThat(
            Retrying.isPermanent(
                new CompletionException(
                    new WriteTimeoutException(
                        null, ConsistencyLevel.LOCAL_QUORUM, 0, 1, WriteType.SIMPLE))))
        .isFalse();
    assertThat(
            Retrying.isPermanent(
                new UnavailableException(null, ConsistencyLevel.LOCAL_QUORUM, 1, 0)))
        .isFalse();
  }

  @Test
  void aDeadLetterKeepsTheOriginalHeadersAndSaysWhyAndWhere() {
    ConsumerRecord<String, byte[]> record =
        new ConsumerRecord<>("listening-events", 7, 42L, "user1", new byte[] {1});
    record.headers().add("trace", "abc".getBytes(StandardCharsets.UTF_8));
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (Header h : ListeningSink.deadLetterHeaders(record, "schema: version 2 is not supported")) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    assertThat(headers)
        .containsExactly(
            Map.entry("trace", "abc"),
            Map.entry(ListeningSink.REASON_HEADER, "schema: version 2 is not supported"),
            Map.entry(ListeningSink.TOPIC_HEADER, "listening-events"),
            Map.entry(ListeningSink.PARTITION_HEADER, "7"),
            Map.entry(ListeningSink.OFFSET_HEADER, "42"));
  }

  @Test
  void listeningTopicsWithNamesOfTheirOwnGetTheDefaultPartitions() {
    CadenzaSettings defaults =
        SettingsLoader.load(Map.of("CADENZA_AUTH_SIGNING_KEYS", KEYS), ConfigFactory.empty());
    assertThat(ListeningSink.topics(defaults))
        .containsExactly(
            new CadenzaSettings.TopicSpec("listening-events", 12),
            new CadenzaSettings.TopicSpec("listening-events-dlq", 3));
    CadenzaSettings custom =
        SettingsLoader.load(
            Map.of(
                "CADENZA_AUTH_SIGNING_KEYS", KEYS,
                "CADENZA_LISTENING_TOPIC", "plays-a",
                "CADENZA_LISTENING_DLQ_TOPIC", "plays-a-dlq"),
            ConfigFactory.empty());
    assertThat(ListeningSink.topics(custom))
        .containsExactly(
            new CadenzaSettings.TopicSpec("plays-a", ListeningSink.EVENT_PARTITIONS),
            new CadenzaSettings.TopicSpec("plays-a-dlq", ListeningSink.DEAD_LETTER_PARTITIONS));
  }
}
