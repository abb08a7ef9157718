package io.cadenza.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.TestNodes;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

  private static Vertx vertx;
  private static CadenzaSettings settings;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    settings = TestNodes.settings("tokens", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anIssuedTokenVerifies() throws Exception {
    AccessTokens tokens = new AccessTokens(vertx, settings.auth(), Clock.systemUTC());
    AccessTokens.Issued issued =
        tokens.issue("user1", "cadenza", Set.of("user-read-email"), "free");
    Principal principal =
        tokens
            .verify(issued.token())
            .recover(
                failure -> {
                  throw new AssertionError("verify failed", failure);
                })
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(principal.userId()).isEqualTo("user1");
    assertThat(principal.clientId()).isEqualTo("cadenza");
    assertThat(principal.scopes()).containsExactly("user-read-email");
    assertThat(principal.product()).isEqualTo("free");
    assertThat(principal.tokenId()).isNotBlank();
  }

  @Test
  void keysRotateByPuttingANewOneFirst() throws Exception {
    String oldKey = "old:" + Base64.getEncoder().encodeToString(new byte[32]);
    byte[] fresh = new byte[32];
    fresh[0] = 1;
    String newKey = "new:" + Base64.getEncoder().encodeToString(fresh);
    AccessTokens before = tokens(oldKey);
    AccessTokens during = tokens(newKey + "," + oldKey);
    AccessTokens after = tokens(newKey);
    String issuedBefore = before.issue("u", "cadenza", Set.of(), "free").token();
    String issuedDuring = during.issue("u", "cadenza", Set.of(), "free").token();

    assertThat(verifies(during, issuedBefore)).as("old tokens live through the rotation").isTrue();
    assertThat(verifies(before, issuedDuring)).as("the new key signs").isFalse();
    assertThat(verifies(after, issuedDuring)).isTrue();
    assertThat(verifies(after, issuedBefore)).as("a dropped key verifies nothing").isFalse();
  }

  private static AccessTokens tokens(String keys) {
    CadenzaSettings rotated =
        TestNodes.settings("tokens", Map.of("cadenza.auth.signing-keys", keys));
    return new AccessTokens(vertx, rotated.auth(), Clock.systemUTC());
  }

  private static boolean verifies(AccessTokens tokens, String token) throws Exception {
    return tokens
        .verify(token)
        .map(principal -> true)
        .otherwise(false)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }
}
