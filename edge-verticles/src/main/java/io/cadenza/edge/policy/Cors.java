package io.cadenza.edge.policy;

import io.cadenza.config.CadenzaSettings;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Set;

/**
 * Cross-origin access for browser apps, from {@code cadenza.edge.cors-allowed-origins}: exact
 * origins only, no credentials (the API takes bearer tokens, not cookies). With no origin
 * configured the handler only passes the request on, so no response carries a CORS header.
 */
public final class Cors {

  /** Seconds a browser may cache a preflight answer. */
  public static final int MAX_AGE_SECONDS = 600;

  static final Set<HttpMethod> METHODS =
      Set.of(
          HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS);
  static final Set<String> ALLOWED_HEADERS =
      Set.of("Authorization", "Content-Type", "X-Request-Id");
  static final Set<String> EXPOSED_HEADERS = Set.of("Retry-After", "X-Request-Id", "Server-Timing");

  private Cors() {}

  /** The CORS handler for {@code edge}; mount it on every route, before the auth handler. */
  public static Handler<RoutingContext> create(CadenzaSettings.Edge edge) {
    if (edge.corsAllowedOrigins().isEmpty()) {
      return RoutingContext::next;
    }
    return CorsHandler.create()
        .addOrigins(edge.corsAllowedOrigins())
        .allowedMethods(METHODS)
        .allowedHeaders(ALLOWED_HEADERS)
        .exposedHeaders(EXPOSED_HEADERS)
        .maxAgeSeconds(MAX_AGE_SECONDS);
  }
}
