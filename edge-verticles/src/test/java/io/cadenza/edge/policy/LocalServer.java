package io.cadenza.edge.policy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A Vert.x HTTP server on a free loopback port with a router the test fills, and a client. */
final class LocalServer implements AutoCloseable {

  final Vertx vertx;
  private final HttpServer server;
  private final WebClient client;
  private final boolean tls;

  private LocalServer(Vertx vertx, HttpServer server, WebClient client, boolean tls) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
    this.tls = tls;
  }

  static LocalServer start(Consumer<Router> routes) {
    return start(false, (vertx, router) -> routes.accept(router));
  }

  static LocalServer start(boolean tls, java.util.function.BiConsumer<Vertx, Router> routes) {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    routes.accept(vertx, router);
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    WebClientOptions clientOptions = new WebClientOptions().setDefaultHost("127.0.0.1");
    if (tls) {
      SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
      options.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
      clientOptions.setSsl(true).setTrustAll(true).setVerifyHost(false);
    }
    HttpServer server =
        vertx
            .createHttpServer(options)
            .requestHandler(router)
            .listen()
            .timeout(10, TimeUnit.SECONDS)
            .await();
    return new LocalServer(vertx, server, WebClient.create(vertx, clientOptions), tls);
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, server.actualPort(), "127.0.0.1", path).ssl(tls);
  }

  HttpResponse<Buffer> get(String path) {
    return send(request(HttpMethod.GET, path));
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> request) {
    return request.send().timeout(10, TimeUnit.SECONDS).await();
  }

  @Override
  public void close() {
    vertx.close().timeout(10, TimeUnit.SECONDS).await();
  }
}
