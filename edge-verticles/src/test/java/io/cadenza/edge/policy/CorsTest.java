package io.cadenza.edge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.CadenzaSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CorsTest {

  private static final String APP = "https://app.example.com";
  private static final CadenzaSettings.Bucket BUCKET = new CadenzaSettings.Bucket(10, 1);

  private LocalServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  private void start(List<String> origins) {
    CadenzaSettings.Edge edge = new CadenzaSettings.Edge(65536, origins, BUCKET, BUCKET, BUCKET);
    server =
        LocalServer.start(
            router -> {
              router.route().handler(Cors.create(edge));
              router.get("/v1/me").handler(ctx -> ctx.end("{}"));
              router
                  .route()
                  .failureHandler(ctx -> ctx.response().setStatusCode(ctx.statusCode()).end());
            });
  }

  private HttpResponse<Buffer> preflight(String origin) {
    return LocalServer.send(
        server
            .request(HttpMethod.OPTIONS, "/v1/me")
            .putHeader("Origin", origin)
            .putHeader("Access-Control-Request-Method", "GET")
            .putHeader("Access-Control-Request-Headers", "authorization"));
  }

  private static List<String> list(String header) {
    return header == null ? List.of() : Arrays.stream(header.split(",")).map(String::trim).toList();
  }

  @Test
  void preflightFromAnAllowedOriginIsAnswered() {
    start(List.of(APP, "http://localhost:3000"));

    HttpResponse<Buffer> response = preflight(APP);

    assertThat(response.statusCode()).isBetween(200, 204);
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(list(response.getHeader("Access-Control-Allow-Methods")))
        .containsExactlyInAnyOrder("GET", "POST", "PUT", "DELETE", "OPTIONS");
    assertThat(list(response.getHeader("Access-Control-Allow-Headers")))
        .map(String::toLowerCase)
        .containsExactlyInAnyOrder("authorization", "content-type", "x-request-id");
    assertThat(response.getHeader("Access-Control-Max-Age")).isEqualTo("600");
    assertThat(response.getHeader("Access-Control-Allow-Credentials")).isNull();
  }

  @Test
  void preflightFromAnotherOriginGetsNoCorsHeaders() {
    start(List.of(APP));

    HttpResponse<Buffer> response = preflight("https://evil.example.com");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(response.getHeader("Access-Control-Allow-Methods")).isNull();
  }

  @Test
  void requestFromAnAllowedOriginExposesRetryAfterRequestIdAndServerTiming() {
    start(List.of(APP));

    HttpResponse<Buffer> response =
        LocalServer.send(server.request(HttpMethod.GET, "/v1/me").putHeader("Origin", APP));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(list(response.getHeader("Access-Control-Expose-Headers")))
        .map(String::toLowerCase)
        .containsExactlyInAnyOrder("retry-after", "x-request-id", "server-timing");
  }

  @Test
  void withoutConfiguredOriginsNoResponseCarriesCorsHeaders() {
    start(List.of());

    HttpResponse<Buffer> preflight = preflight(APP);
    HttpResponse<Buffer> request =
        LocalServer.send(server.request(HttpMethod.GET, "/v1/me").putHeader("Origin", APP));

    assertThat(request.statusCode()).isEqualTo(200);
    for (HttpResponse<Buffer> response : List.of(preflight, request)) {
      assertThat(response.headers().names())
          .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
    }
  }
}
