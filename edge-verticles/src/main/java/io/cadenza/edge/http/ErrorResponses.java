package io.cadenza.edge.http;

import io.cadenza.config.error.CadenzaException;
import io.cadenza.config.error.RetriableException;
import io.cadenza.edge.oauth.OAuthException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes error bodies: every failure becomes the Spotify error object {@code
 * {"error":{"status":N,"message":"..."}}}, with the request id in {@code X-Request-Id}. Handlers
 * fail the routing context; they never write errors themselves.
 */
public final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(400, "Bad request"),
          Map.entry(401, "No token provided"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Service not found"),
          Map.entry(405, "Method not allowed"),
          Map.entry(406, "Not acceptable"),
          Map.entry(413, "Request entity too large"),
          Map.entry(414, "Request URI too long"),
          Map.entry(415, "Unsupported media type"),
          Map.entry(429, "API rate limit exceeded"),
          Map.entry(431, "Request header fields too large"),
          Map.entry(500, "Server error"),
          Map.entry(501, "Not implemented"),
          Map.entry(503, "Service unavailable"));

  private ErrorResponses() {}

  /** Installs the failure handler and the router's error handlers (no route, wrong method...). */
  static void mount(Router router) {
    router.route().failureHandler(ErrorResponses::handle);
    for (int status : REASONS.keySet()) {
      router.errorHandler(status, ErrorResponses::handle);
    }
  }

  static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof OAuthException oauth) {
      writeOAuth(ctx, oauth);
      return;
    }
    int status;
    String message;
    if (failure instanceof CadenzaException known) {
      status = known.status();
      message = known.getMessage();
      if (known instanceof RetriableException retriable && retriable.retryAfter() != null) {
        ctx.response()
            .putHeader(
                HttpHeaders.RETRY_AFTER,
                String.valueOf(Math.max(1, retriable.retryAfter().toSeconds())));
      }
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      message = http.getPayload() != null ? http.getPayload() : reason(status);
    } else if (failure != null && ctx.statusCode() < 400) {
      status = 500;
      message = reason(500);
    } else {
      status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
      message = reason(status);
    }
    if (status >= 500) {
      LOG.atError()
          .addKeyValue("requestId", RequestLog.id(ctx))
          .addKeyValue("path", ctx.request().path())
          .setCause(failure)
          .log("Request failed with {}.", status);
    }
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(
            new JsonObject()
                .put("error", new JsonObject().put("status", status).put("message", message))
                .encode());
  }

  /** RFC 6749 §5.2 errors of the token endpoints, as OAuth client libraries expect them. */
  private static void writeOAuth(RoutingContext ctx, OAuthException oauth) {
    if (ctx.response().ended()) {
      return;
    }
    if (oauth.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"cadenza\"");
    }
    ctx.response()
        .setStatusCode(oauth.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(
            new JsonObject()
                .put("error", oauth.error())
                .put("error_description", oauth.getMessage())
                .encode());
  }

  private static String reason(int status) {
    return REASONS.getOrDefault(status, status >= 500 ? "Server error" : "Bad request");
  }
}
