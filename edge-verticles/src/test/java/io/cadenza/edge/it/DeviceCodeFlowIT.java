package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.TestNodes;
import io.cadenza.edge.it.Api.Account;
import io.cadenza.edge.it.Api.Response;
import io.cadenza.edge.it.Api.Tokens;
import io.cadenza.edge.node.CadenzaNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device authorization grant (RFC 8628) end to end, as a smart speaker uses it: the speaker
 * asks for a code, polls, is told to wait and to slow down, and gets tokens once its owner approved
 * the code from a signed-in app or from the /device page; an expired code gets nothing. Its own
 * node, with a 1 s poll interval and an 8 s code lifetime, so the test takes seconds.
 */
class DeviceCodeFlowIT {

  private static final String DEVICE = "urn:ietf:params:oauth:grant-type:device_code";

  /** A little more than the node's 1 s poll interval. */
  private static final Duration PACE = Duration.ofMillis(1100);

  private static CadenzaNode node;
  private static CadenzaSettings settings;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    settings =
        TestNodes.settings(
            "device-it",
            Map.of(
                "cadenza.auth.device-poll-interval", "1s",
                "cadenza.auth.device-code-ttl", "8s"));
    node =
        CadenzaNode.start(settings)
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
    api = new Api(node.url());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      try {
        TestNodes.dropKeyspace(node.infrastructure().cql(), settings.cql().keyspace());
      } finally {
        node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aSpeakerPollsAndGetsTokensAfterItsOwnerApprovesFromTheApp() throws Exception {
    Account owner = api.signUp();
    JsonObject code = deviceCode("user-read-playback-state user-modify-playback-state");
    assertThat(code.getString("user_code")).matches("[A-Z]{4}-[A-Z]{4}");
    assertThat(code.getString("verification_uri")).isEqualTo(node.url() + "/device");
    assertThat(code.getString("verification_uri_complete"))
        .isEqualTo(node.url() + "/device?user_code=" + code.getString("user_code"));
    assertThat(code.getLong("interval")).isEqualTo(1L);
    assertThat(code.getLong("expires_in")).isBetween(7L, 8L);
    String deviceCode = code.getString("device_code");

    assertThat(poll(deviceCode)).isEqualTo("authorization_pending");
    assertThat(poll(deviceCode)).as("a poll within the interval").isEqualTo("slow_down");

    String appToken = api.logIn(owner, null).accessToken();
    Response approved =
        api.postJson(
            "/api/device/approve",
            new JsonObject()
                .put("user_code", code.getString("user_code").toLowerCase().replace("-", ""))
                .put("approve", true),
            appToken);
    assertThat(approved.status()).as(approved.body()).isEqualTo(204);

    Tokens tokens = Api.tokens(pollAtThePace(deviceCode));
    assertThat(tokens.scope()).isEqualTo("user-read-playback-state user-modify-playback-state");
    assertThat(api.get("/v1/me", tokens.accessToken()).json().getString("id"))
        .isEqualTo(owner.id());
    assertThat(api.refresh(tokens.refreshToken()).status()).isEqualTo(200);

    // The code is spent: a second device presenting it gets nothing.
    Response again = pollAtThePace(deviceCode);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().getString("error")).isIn("invalid_grant", "expired_token");
    assertThat(again.json().containsKey("access_token")).isFalse();
  }

  @Test
  void theOwnerMayApproveOnTheDevicePageOrDeny() throws Exception {
    Account owner = api.signUp();
    JsonObject code = deviceCode("");
    Response page = api.get("/device?user_code=" + code.getString("user_code"), null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains(code.getString("user_code"));

    Map<String, String> form = new LinkedHashMap<>();
    form.put("user_code", code.getString("user_code"));
    form.put("email", owner.email());
    form.put("password", owner.password());
    form.put("decision", "approve");
    Response done = api.postForm("/device", form, null);
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(done.body()).contains("Device connected");
    Tokens tokens = Api.tokens(pollResponse(code.getString("device_code")));
    assertThat(api.get("/v1/me", tokens.accessToken()).json().getString("id"))
        .isEqualTo(owner.id());

    JsonObject refused = deviceCode("");
    form.put("user_code", refused.getString("user_code"));
    form.put("decision", "deny");
    assertThat(api.postForm("/device", form, null).body()).contains("Device denied");
    assertThat(poll(refused.getString("device_code"))).isEqualTo("access_denied");
    // A decided code cannot be decided again, by the owner or anyone else.
    Response late =
        api.postJson(
            "/api/device/approve",
            new JsonObject().put("user_code", refused.getString("user_code")).put("approve", true),
            api.logIn(api.signUp(), null).accessToken());
    assertThat(late.status()).isEqualTo(400);
    assertThat(pollAtThePace(refused.getString("device_code")).json().getString("error"))
        .isEqualTo("access_denied");
  }

  @Test
  void anExpiredCodeGetsNoTokensAndCannotBeApproved() {
    Account owner = api.signUp();
    JsonObject code = deviceCode("");
    // The speaker keeps polling at its pace until the code runs out (8 s here).
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(PACE)
        .until(
            () ->
                "expired_token"
                    .equals(pollResponse(code.getString("device_code")).json().getString("error")));
    Response approve =
        api.postJson(
            "/api/device/approve",
            new JsonObject().put("user_code", code.getString("user_code")).put("approve", true),
            api.logIn(owner, null).accessToken());
    assertThat(approve.status()).isEqualTo(400);
    assertThat(approve.errorMessage()).isEqualTo("Unknown or expired user code");
    assertThat(poll(code.getString("device_code"))).isEqualTo("expired_token");
  }

  @Test
  void anUnknownClientGetsNoDeviceCode() {
    Response unknown =
        api.postForm("/api/device/code", Map.of("client_id", "no-such-client"), null);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().getString("error")).isEqualTo("invalid_client");
    Response scope =
        api.postForm(
            "/api/device/code", Map.of("client_id", "cadenza", "scope", "no-such-scope"), null);
    assertThat(scope.status()).isEqualTo(400);
    assertThat(scope.json().getString("error")).isEqualTo("invalid_scope");
  }

  /**
   * Polls as a well-behaved device does, once per interval, until the answer is not {@code
   * slow_down}, and returns that answer.
   */
  private static Response pollAtThePace(String deviceCode) {
    AtomicReference<Response> last = new AtomicReference<>();
    await()
        .pollDelay(PACE)
        .pollInterval(PACE)
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              last.set(pollResponse(deviceCode));
              return !"slow_down".equals(last.get().json().getString("error"));
            });
    return last.get();
  }

  private static JsonObject deviceCode(String scope) {
    Response response =
        api.postForm("/api/device/code", Map.of("client_id", "cadenza", "scope", scope), null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static Response pollResponse(String deviceCode) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", DEVICE);
    form.put("device_code", deviceCode);
    form.put("client_id", "cadenza");
    return api.postForm("/api/token", form, null);
  }

  /** The error of one poll (asserting it is one). */
  private static String poll(String deviceCode) {
    Response response = pollResponse(deviceCode);
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    return response.json().getString("error");
  }
}
