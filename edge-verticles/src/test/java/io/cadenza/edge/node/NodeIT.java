package io.cadenza.edge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One node against the real test stack: wiring, readiness, metrics, errors. */
class NodeIT {

  private static CadenzaNode node;
  private static CadenzaSettings settings;

  @BeforeAll
  static void start() throws Exception {
    settings = TestNodes.settings("node-it", Map.of());
    node =
        CadenzaNode.start(settings)
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      var cql = node.infrastructure().cql();
      String keyspace = settings.cql().keyspace();
      try {
        TestNodes.dropKeyspace(cql, keyspace);
      } finally {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void healthAnswersUp() {
    HttpResponse<String> response = TestNodes.get(node.url() + "/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("status")).isEqualTo("UP");
  }

  @Test
  void readyIs200AndListsEveryComponentUp() {
    // The search index is rebuilt in the background after start (an empty catalog: quickly).
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> TestNodes.statusOf(node.url() + "/ready") == 200);
    HttpResponse<String> response = TestNodes.get(node.url() + "/ready");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonArray checks = new JsonObject(response.body()).getJsonArray("checks");
    List<String> up = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      JsonObject check = checks.getJsonObject(i);
      if ("UP".equals(check.getString("status"))) {
        up.add(check.getString("id"));
      }
    }
    assertThat(up)
        .containsExactlyInAnyOrder(
            "scylladb", "kafka", "redis", "akka-cluster", "hazelcast", "search-index");
  }

  @Test
  void metricsExposeJvmHttpAndEventLoopFigures() {
    TestNodes.get(node.url() + "/health");
    HttpResponse<String> response = TestNodes.get(node.url() + "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_")
        .contains("vertx_http_server_requests_total")
        .contains("netty_eventexecutor_tasks_pending");
  }

  @Test
  void unknownPathGetsTheJsonErrorObjectWithARequestId() {
    HttpResponse<String> response = TestNodes.get(node.url() + "/nothing-here");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(404);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
  }

  @Test
  void aSaneCallerRequestIdIsEchoed() throws Exception {
    HttpResponse<String> response =
        TestNodes.HTTP.send(
            HttpRequest.newBuilder(URI.create(node.url() + "/health"))
                .header("X-Request-Id", "trace-1234abcd")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("x-request-id")).hasValue("trace-1234abcd");
  }

  @Test
  void aRecordProducedOnACreatedTopicIsConsumed() throws Exception {
    String key = "it-" + UUID.randomUUID();
    byte[] value = "{\"hello\":\"cadenza\"}".getBytes(StandardCharsets.UTF_8);
    node.infrastructure()
        .kafkaProducer()
        .send(KafkaProducerRecord.create("catalog-changes", key, value))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.kafka().bootstrapServersString(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("catalog-changes"));
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.equals(r.key())) {
                            found.add(r);
                          }
                        });
                return !found.isEmpty();
              });
      assertThat(found.get(0).value()).isEqualTo(value);
    }
  }

  @Test
  void redisRoundTrip() throws Exception {
    var redis = node.infrastructure().redis();
    String key = "it:" + UUID.randomUUID();
    redis
        .send(Request.cmd(Command.SET).arg(key).arg("played").arg("PX").arg(60_000))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    var reply =
        redis
            .send(Request.cmd(Command.GET).arg(key))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(reply.toString()).isEqualTo("played");
  }

  @Test
  void theNodeRegistersItselfAndItsSchemaIsMigrated() {
    var cql = node.infrastructure().cql();
    String keyspace = settings.cql().keyspace();
    var row =
        cql.execute(
                "SELECT http_url FROM " + keyspace + ".nodes WHERE name = ?",
                settings.node().name())
            .one();
    assertThat(row).isNotNull();
    assertThat(row.getString("http_url")).isEqualTo(node.url());
    assertThat(cql.execute("SELECT version FROM " + keyspace + ".schema_migrations").all())
        .isNotEmpty();
  }
}
