package io.cadenza.edge.http;

import io.cadenza.edge.health.ReadinessChecks;
import io.cadenza.edge.node.Infrastructure;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** The HTTP edge of a node: health, readiness and metrics today; the public API mounts here. */
public final class EdgeVerticle extends VerticleBase {

  private final Infrastructure infra;
  private HttpServer server;

  public EdgeVerticle(Infrastructure infra) {
    this.infra = infra;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(RequestLog::handle);

    router.get("/health").handler(EdgeVerticle::alive);
    router
        .get("/ready")
        .handler(HealthCheckHandler.createWithHealthChecks(ReadinessChecks.create(vertx, infra)));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(infra.metrics()));

    ErrorResponses.mount(router);
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(infra.settings().http().host())
                .setPort(infra.settings().http().port())
                .setCompressionSupported(false));
    return server.requestHandler(router).listen();
  }

  /** The port the server listens on (the configured one, or the one picked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private static void alive(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }
}
