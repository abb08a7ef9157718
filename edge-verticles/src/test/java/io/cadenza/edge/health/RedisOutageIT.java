package io.cadenza.edge.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.OwnRedis;
import io.cadenza.edge.TestNodes;
import io.cadenza.edge.it.Api;
import io.cadenza.edge.it.Api.Account;
import io.cadenza.edge.node.CadenzaNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows a real Redis outage, and the API keeps working through it: sign-up, sign-in and
 * authenticated reads answer as usual while rate limiting fails open (counted in a metric). The
 * node gets a Redis server of its own (the OS package's redis-server on a free loopback port) so
 * stopping it does not disturb the shared test stack.
 */
class RedisOutageIT {

  private final OwnRedis redis = new OwnRedis(TestNodes.freePort(), "redis-outage-it");
  private CadenzaNode node;
  private CadenzaSettings settings;

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (node != null) {
        TestNodes.dropKeyspace(node.infrastructure().cql(), settings.cql().keyspace());
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      redis.stop();
    }
  }

  @Test
  void readyIs503WhileRedisIsStoppedYetTheApiWorksAnd200AfterItRestarts() throws Exception {
    redis.start();
    settings = TestNodes.settings("redis-outage-it", Map.of("cadenza.redis.url", redis.url()));
    node =
        CadenzaNode.start(settings)
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
    String ready = node.url() + "/ready";
    await().atMost(Duration.ofSeconds(30)).until(() -> TestNodes.statusOf(ready) == 200);

    redis.stop();

    await().atMost(Duration.ofSeconds(30)).until(() -> TestNodes.statusOf(ready) == 503);
    HttpResponse<String> down = TestNodes.get(ready);
    Map<String, String> statuses = statuses(new JsonObject(down.body()).getJsonArray("checks"));
    assertThat(statuses).containsEntry("redis", "DOWN");
    assertThat(statuses)
        .containsEntry("scylladb", "UP")
        .containsEntry("kafka", "UP")
        .containsEntry("akka-cluster", "UP")
        .containsEntry("hazelcast", "UP");

    // Authentication and reads do not need Redis: no 5xx, rate limiting fails open.
    Api api = new Api(node.url());
    Account account = api.signUp();
    String token = api.logIn(account, null).accessToken();
    Api.Response me = api.get("/v1/me", token);
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    assertThat(me.json().getString("id")).isEqualTo(account.id());
    assertThat(api.get("/v1/users/" + account.id(), token).status()).isEqualTo(200);
    assertThat(failOpenCount(api)).isGreaterThanOrEqualTo(4.0);

    redis.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> TestNodes.statusOf(ready) == 200);
    // The rate limiter reconnects: checks are made (and counted) again.
    double allowedBefore = metric(api, "cadenza_rate_limit_decisions_total{outcome=\"allowed\"");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              assertThat(api.get("/v1/me", token).status()).isEqualTo(200);
              return metric(api, "cadenza_rate_limit_decisions_total{outcome=\"allowed\"")
                  > allowedBefore;
            });
  }

  /** cadenza_rate_limit_fail_open_total, summed over its tags. */
  private static double failOpenCount(Api api) {
    return metric(api, "cadenza_rate_limit_fail_open_total");
  }

  /** The sum of the Prometheus samples whose line starts with {@code prefix}. */
  private static double metric(Api api, String prefix) {
    double total = 0;
    for (String line : api.get("/metrics", null).body().split("\n")) {
      if (line.startsWith(prefix)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private static Map<String, String> statuses(JsonArray checks) {
    Map<String, String> statuses = new HashMap<>();
    for (int i = 0; i < checks.size(); i++) {
      JsonObject check = checks.getJsonObject(i);
      statuses.put(check.getString("id"), check.getString("status"));
    }
    return statuses;
  }
}
