package io.cadenza.edge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.CadenzaSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BodyLimitsTest {

  private static final CadenzaSettings.Bucket BUCKET = new CadenzaSettings.Bucket(10, 1);
  private static final int LIMIT = 1024;

  private LocalServer server;

  @BeforeEach
  void start() {
    CadenzaSettings.Edge edge = new CadenzaSettings.Edge(LIMIT, List.of(), BUCKET, BUCKET, BUCKET);
    server =
        LocalServer.start(
            router -> {
              router.post("/echo").handler(BodyLimits.create(edge));
              router.post("/echo").handler(ctx -> ctx.end(ctx.body().buffer()));
              router
                  .route()
                  .failureHandler(ctx -> ctx.response().setStatusCode(ctx.statusCode()).end());
            });
  }

  @AfterEach
  void close() {
    server.close();
  }

  private HttpResponse<Buffer> post(int bytes) {
    return server
        .request(HttpMethod.POST, "/echo")
        .sendBuffer(Buffer.buffer(new byte[bytes]))
        .timeout(10, java.util.concurrent.TimeUnit.SECONDS)
        .await();
  }

  @Test
  void bodyUpToTheLimitReachesTheRoute() {
    HttpResponse<Buffer> response = post(LIMIT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().length()).isEqualTo(LIMIT);
  }

  @Test
  void bodyOverTheLimitIsRefusedWith413() {
    assertThat(post(LIMIT + 1).statusCode()).isEqualTo(413);
  }
}
