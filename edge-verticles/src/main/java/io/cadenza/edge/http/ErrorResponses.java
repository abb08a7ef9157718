package io.cadenza.edge.http;

import io.cadenza.config.error.CadenzaException;
import io.cadenza.config.error.RetriableException;
import io.cadenza.edge.oauth.OAuthException;
import io.cadenza.edge.player.PlayerErrors;
import io.cadenza.edge.player.PlayerException;
import io.cadenza.edge.policy.SecurityHeaders;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
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
  public static void mount(Router router) {
    router.route().failureHandler(ErrorResponses::handle);
    for (int status : REASONS.keySet()) {
      router.errorHandler(status, ErrorResponses::handle);
    }
  }

  /**
   * The server's request handler: the router, except for a path with a malformed percent-escape (a
   * {@code %} not followed by two hex digits). The router cannot route such a path at all (Vert.x
   * throws while normalising it, in every route's matching, the failure handler's included), so the
   * request would end in a bare 500; it is a client error, answered here with the error object.
   */
  static Handler<HttpServerRequest> guarding(Router router) {
    return request -> {
      if (!hasMalformedEscape(request.path())) {
        router.handle(request);
        return;
      }
      request
          .response()
          .setStatusCode(400)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("X-Frame-Options", "DENY")
          .putHeader("Referrer-Policy", "no-referrer")
          .putHeader("Content-Security-Policy", SecurityHeaders.API_POLICY)
          .end(body(400, MALFORMED_PATH));
    };
  }

  static final String MALFORMED_PATH = "Invalid request: malformed percent-encoding in the URL";

  /**
   * The server's handler of requests its HTTP decoder refused (an over-long request line or
   * headers, broken framing): the status Vert.x would send (414, 431 or 400), with the error object
   * in place of its empty body.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    int status = 400;
    String message = "Invalid request: malformed HTTP";
    if (cause instanceof TooLongFrameException tooLong && tooLong.getMessage() != null) {
      if (tooLong.getMessage().startsWith("An HTTP line is larger than")) {
        status = 414;
        message = "Request URI too long";
      } else if (tooLong.getMessage().startsWith("HTTP header is larger than")) {
        status = 431;
        message = "Request header fields too large";
      }
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body(status, message))
        .onComplete(done -> request.connection().close());
  }

  /** Whether a raw path has a {@code %} that is not followed by two hex digits. */
  static boolean hasMalformedEscape(String path) {
    if (path == null) {
      return false;
    }
    for (int at = path.indexOf('%'); at >= 0; at = path.indexOf('%', at + 1)) {
      if (at + 2 >= path.length()
          || Character.digit(path.charAt(at + 1), 16) < 0
          || Character.digit(path.charAt(at + 2), 16) < 0) {
        return true;
      }
    }
    return false;
  }

  static final String OVERLOADED = "Service temporarily overloaded; try again shortly";

  /**
   * Whether a failure says a dependency is saturated or unreachable for now (the CQL driver found
   * no connection with room, or timed out; the Redis pool's queue is full), not that the request or
   * the code is wrong.
   */
  static boolean overloaded(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof com.datastax.oss.driver.api.core.AllNodesFailedException
          || t instanceof com.datastax.oss.driver.api.core.DriverTimeoutException
          || t instanceof com.datastax.oss.driver.api.core.connection.BusyConnectionException
          || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
        return true;
      }
    }
    return false;
  }

  private static String rootOf(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static String body(int status, String message) {
    return new JsonObject()
        .put("error", new JsonObject().put("status", status).put("message", message))
        .encode();
  }

  static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof OAuthException oauth) {
      writeOAuth(ctx, oauth);
      return;
    }
    if (failure instanceof PlayerException player) {
      // Spotify's player error: the error object with its reason (NO_ACTIVE_DEVICE, ...).
      if (!ctx.response().ended() && !ctx.response().headWritten()) {
        ctx.response()
            .setStatusCode(player.status())
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(PlayerErrors.body(player).encode());
      }
      return;
    }
    if (failure != null && !(failure instanceof CadenzaException) && overloaded(failure)) {
      // A database or cache with every connection busy: the same request may well succeed in a
      // moment. One line without the stack, since an overload makes many of them.
      LOG.atWarn()
          .addKeyValue("requestId", RequestLog.id(ctx))
          .addKeyValue("path", RequestLog.loggable(ctx.request().path()))
          .log("Request refused with 503, a dependency is overloaded: {}", rootOf(failure));
      failure = RetriableException.unavailable(OVERLOADED, failure);
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
          .addKeyValue("path", RequestLog.loggable(ctx.request().path()))
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
        .end(body(status, message));
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
