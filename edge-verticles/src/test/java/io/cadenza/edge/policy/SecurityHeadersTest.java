package io.cadenza.edge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.handler.HttpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

  private LocalServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  private void startApi(boolean tls) {
    server =
        LocalServer.start(
            tls,
            (vertx, router) -> {
              router.route().handler(SecurityHeaders.create());
              router.get("/ok").handler(ctx -> ctx.json(new JsonObject().put("ok", true)));
              router
                  .get("/cached")
                  .handler(
                      ctx -> ctx.response().putHeader("Cache-Control", "public, max-age=60").end());
              router.get("/fails").handler(ctx -> ctx.fail(new HttpException(403, "Forbidden")));
              router.get("/page").handler(SecurityHeaders.forHtml()).handler(ctx -> ctx.end("<p>"));
              // the one failure handler of the edge writes error objects after the fact
              router
                  .route()
                  .failureHandler(
                      ctx -> {
                        int status =
                            ctx.failure() instanceof HttpException http
                                ? http.getStatusCode()
                                : ctx.statusCode();
                        ctx.response()
                            .setStatusCode(status)
                            .putHeader("Content-Type", "application/json")
                            .end(
                                new JsonObject()
                                    .put("error", new JsonObject().put("status", status))
                                    .encode());
                      });
            });
  }

  private static void assertApiHeaders(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(response.getHeader("Content-Security-Policy"))
        .isEqualTo("default-src 'none'; frame-ancestors 'none'");
  }

  @Test
  void successfulResponseCarriesSecurityHeadersAndNoStore() {
    startApi(false);

    HttpResponse<Buffer> response = server.get("/ok");

    assertThat(response.statusCode()).isEqualTo(200);
    assertApiHeaders(response);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void notFoundResponseOfTheRouterCarriesSecurityHeaders() {
    startApi(false);

    HttpResponse<Buffer> response = server.get("/v1/nothing-here");

    assertThat(response.statusCode()).isEqualTo(404);
    assertApiHeaders(response);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void errorWrittenByTheFailureHandlerCarriesSecurityHeaders() {
    startApi(false);

    HttpResponse<Buffer> response = server.get("/fails");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getInteger("status"))
        .isEqualTo(403);
    assertApiHeaders(response);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void cacheControlSetByTheRouteIsKept() {
    startApi(false);

    HttpResponse<Buffer> response = server.get("/cached");

    assertThat(response.getHeader("Cache-Control")).isEqualTo("public, max-age=60");
    assertApiHeaders(response);
  }

  @Test
  void htmlRouteGetsThePagePolicy() {
    startApi(false);

    HttpResponse<Buffer> response = server.get("/page");

    assertThat(response.getHeader("Content-Security-Policy"))
        .isEqualTo("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void htmlPolicyWinsWhenMountedBeforeTheApiPolicy() {
    server =
        LocalServer.start(
            router -> {
              router.get("/page").handler(SecurityHeaders.forHtml());
              router.route().handler(SecurityHeaders.create());
              router.get("/page").handler(ctx -> ctx.end("<p>"));
            });

    HttpResponse<Buffer> response = server.get("/page");

    assertThat(response.getHeader("Content-Security-Policy"))
        .isEqualTo(SecurityHeaders.HTML_POLICY);
    assertThat(response.headers().getAll("Content-Security-Policy")).hasSize(1);
  }

  @Test
  void plainHttpResponseHasNoStrictTransportSecurity() {
    startApi(false);

    assertThat(server.get("/ok").getHeader("Strict-Transport-Security")).isNull();
  }

  @Test
  void tlsResponsesHaveStrictTransportSecurityErrorsIncluded() {
    startApi(true);

    assertThat(server.get("/ok").getHeader("Strict-Transport-Security"))
        .isEqualTo("max-age=31536000");
    assertThat(server.get("/missing").getHeader("Strict-Transport-Security"))
        .isEqualTo("max-age=31536000");
  }
}
