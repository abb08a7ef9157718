package io.cadenza.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.TestNodes;
import io.vertx.core.Vertx;
import java.time.Clock;
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
  }
}
