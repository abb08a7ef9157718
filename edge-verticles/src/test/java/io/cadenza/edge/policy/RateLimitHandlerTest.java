package io.cadenza.edge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.RetriableException;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.policy.RateLimiter.Decision;
import io.cadenza.edge.policy.RateLimiter.Limit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler's mapping of principals to buckets and of decisions to failures (no Redis). */
class RateLimitHandlerTest {

  private static final CadenzaSettings.Edge EDGE =
      new CadenzaSettings.Edge(
          65536,
          List.of(),
          new CadenzaSettings.Bucket(200, 50),
          new CadenzaSettings.Bucket(5000, 1000),
          new CadenzaSettings.Bucket(30, 1));

  private static final Principal USER =
      new Principal(
          "user-1",
          "client-1",
          Set.of("user-read-private"),
          "premium",
          "jti-1",
          Instant.now().plusSeconds(3600));

  private static final Principal APP_ONLY =
      new Principal(null, "client-2", Set.of(), null, "jti-2", Instant.now().plusSeconds(3600));

  private final FakeLimiter limiter = new FakeLimiter();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private LocalServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  /** A limiter that records its calls and answers {@code decision} after {@code delayMs}. */
  private static final class FakeLimiter implements RateLimiter {

    @Override
    public Future<Void> warmUp() {
      return Future.succeededFuture();
    }

    final List<String> tokenIds = new CopyOnWriteArrayList<>();
    final List<List<Limit>> calls = new CopyOnWriteArrayList<>();
    volatile Decision decision = Decision.allowed(10);
    volatile Vertx vertx;
    volatile long delayMs;

    @Override
    public Future<Decision> acquire(String tokenId, List<Limit> limits) {
      tokenIds.add(String.valueOf(tokenId));
      calls.add(limits);
      if (delayMs == 0) {
        return Future.succeededFuture(decision);
      }
      Promise<Decision> promise = Promise.promise();
      vertx.setTimer(delayMs, id -> promise.complete(decision));
      return promise.future();
    }

    @Override
    public Future<Void> revoke(String tokenId, Instant expiresAt) {
      return Future.succeededFuture();
    }
  }

  private void start(Principal principal, RateLimitHandler handler) {
    server =
        LocalServer.start(
            false,
            (vertx, router) -> {
              limiter.vertx = vertx;
              mount(router, principal, handler);
            });
  }

  private void mount(Router router, Principal principal, RateLimitHandler handler) {
    if (principal != null) {
      router.route().handler(ctx -> ctx.put(Principal.KEY, principal).next());
    }
    router.route().handler(handler);
    router.route().handler(BodyHandler.create(false));
    router.get("/v1/me").handler(ctx -> ctx.end("ok"));
    router
        .post("/api/token")
        .handler(ctx -> ctx.end(ctx.body().isEmpty() ? Buffer.buffer() : ctx.body().buffer()));
    router
        .route()
        .failureHandler(
            ctx -> {
              failure.set(ctx.failure());
              int status =
                  ctx.failure() instanceof HttpException http
                      ? http.getStatusCode()
                      : ctx.failure() instanceof RetriableException retriable
                          ? retriable.status()
                          : 500;
              ctx.response().setStatusCode(status).end();
            });
  }

  @Test
  void userTokenIsLimitedOnTheUsersAndTheClientsBucketAndCheckedForRevocation() {
    start(USER, RateLimitHandler.perPrincipal(limiter, EDGE));

    HttpResponse<Buffer> response = server.get("/v1/me");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(limiter.tokenIds).containsExactly("jti-1");
    assertThat(limiter.calls)
        .containsExactly(
            List.of(
                new Limit("cadenza:rl:user:user-1", EDGE.perUser()),
                new Limit("cadenza:rl:client:client-1", EDGE.perClient())));
  }

  @Test
  void clientCredentialsTokenIsLimitedOnTheClientsBucketOnly() {
    start(APP_ONLY, RateLimitHandler.perPrincipal(limiter, EDGE));

    assertThat(server.get("/v1/me").statusCode()).isEqualTo(200);
    assertThat(limiter.calls)
        .containsExactly(List.of(new Limit("cadenza:rl:client:client-2", EDGE.perClient())));
  }

  @Test
  void accountEndpointIsLimitedPerCallerAddressWithoutRevocationCheck() {
    start(null, RateLimitHandler.perAddress(limiter, EDGE));

    HttpResponse<Buffer> response = LocalServer.send(server.request(HttpMethod.POST, "/api/token"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(limiter.tokenIds).containsExactly("null");
    assertThat(limiter.calls)
        .containsExactly(List.of(new Limit("cadenza:rl:addr:127.0.0.1", EDGE.perAddress())));
  }

  @Test
  void refusedRequestFailsWith429AndRetryAfterOfTheDecision() {
    limiter.decision = Decision.limited(6_200);
    start(USER, RateLimitHandler.perPrincipal(limiter, EDGE));

    HttpResponse<Buffer> response = server.get("/v1/me");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(failure.get())
        .isInstanceOfSatisfying(
            RetriableException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.getMessage()).isEqualTo("API rate limit exceeded");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            });
  }

  @Test
  void revokedTokenFailsWith401AndAnInvalidTokenChallenge() {
    limiter.decision = Decision.revoked();
    start(USER, RateLimitHandler.perPrincipal(limiter, EDGE));

    HttpResponse<Buffer> response = server.get("/v1/me");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertThat(failure.get())
        .isInstanceOfSatisfying(
            HttpException.class,
            e -> assertThat(e.getPayload()).isEqualTo("The access token has been revoked"));
  }

  @Test
  void uncheckedDecisionLetsTheRequestThrough() {
    limiter.decision = Decision.unchecked();
    start(APP_ONLY, RateLimitHandler.perPrincipal(limiter, EDGE));

    assertThat(server.get("/v1/me").statusCode()).isEqualTo(200);
  }

  @Test
  void requestWithoutPrincipalPassesWithoutACheck() {
    start(null, RateLimitHandler.perPrincipal(limiter, EDGE));

    assertThat(server.get("/v1/me").statusCode()).isEqualTo(200);
    assertThat(limiter.calls).isEmpty();
  }

  @Test
  void bodyArrivingWhileTheLimiterAnswersReachesTheRoute() {
    limiter.delayMs = 100;
    start(null, RateLimitHandler.perAddress(limiter, EDGE));
    Buffer body = Buffer.buffer("grant_type=password&username=ann&password=" + "x".repeat(5000));

    HttpResponse<Buffer> response =
        server
            .request(HttpMethod.POST, "/api/token")
            .sendBuffer(body)
            .timeout(10, TimeUnit.SECONDS)
            .await();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
  }
}
