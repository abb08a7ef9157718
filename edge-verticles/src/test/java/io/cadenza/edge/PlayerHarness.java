package io.cadenza.edge;

import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.http.ErrorResponses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A Vert.x server on a free loopback port for unit tests of the player's HTTP APIs: {@link
 * InMemorySessions}, the edge's failure handler, and a principal from the test's headers ({@code
 * X-Test-User}, {@code X-Test-Scopes}) in place of a bearer token.
 */
public final class PlayerHarness implements AutoCloseable {

  public final Vertx vertx;
  public final InMemorySessions sessions;
  private final HttpServer server;
  private final WebClient client;

  private PlayerHarness(Vertx vertx, InMemorySessions sessions, HttpServer server) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.server = server;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  /** Starts a server whose routes {@code routes} mounts after the test authentication. */
  public static PlayerHarness start(BiConsumer<PlayerHarness.Parts, Router> routes) {
    Vertx vertx = Vertx.vertx();
    InMemorySessions sessions = new InMemorySessions(vertx, Clock.systemUTC());
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            ctx -> {
              String user = ctx.request().getHeader("X-Test-User");
              String scopes = ctx.request().getHeader("X-Test-Scopes");
              if (user != null) {
                ctx.put(
                    Principal.KEY,
                    new Principal(
                        user,
                        "test",
                        scopes == null ? Set.of() : Set.of(scopes.split(" ")),
                        "free",
                        "jti",
                        Instant.now().plusSeconds(3600)));
              }
              ctx.next();
            });
    routes.accept(new Parts(vertx, sessions), router);
    ErrorResponses.mount(router);
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(router)
            .listen()
            .timeout(10, TimeUnit.SECONDS)
            .await();
    return new PlayerHarness(vertx, sessions, server);
  }

  /** What the routes are made of. */
  public record Parts(Vertx vertx, InMemorySessions sessions) {}

  /** A request as {@code user} with {@code scopes} (space-separated). */
  public HttpRequest<Buffer> request(HttpMethod method, String path, String user, String scopes) {
    HttpRequest<Buffer> request = client.request(method, server.actualPort(), "127.0.0.1", path);
    if (user != null) {
      request.putHeader("X-Test-User", user);
    }
    if (scopes != null) {
      request.putHeader("X-Test-Scopes", scopes);
    }
    return request;
  }

  public static HttpResponse<Buffer> send(HttpRequest<Buffer> request) {
    return request.send().timeout(40, TimeUnit.SECONDS).await();
  }

  public static HttpResponse<Buffer> send(HttpRequest<Buffer> request, String body) {
    return request.sendBuffer(Buffer.buffer(body)).timeout(40, TimeUnit.SECONDS).await();
  }

  @Override
  public void close() {
    vertx.close().timeout(10, TimeUnit.SECONDS).await();
  }
}
