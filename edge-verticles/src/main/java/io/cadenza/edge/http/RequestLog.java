package io.cadenza.edge.http;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane, else a new one),
 * echoes it in the response, and writes one structured access-log line when the response ends.
 *
 * <p>Lines go to the logger {@code io.cadenza.edge.access}, except the successful answers of signed
 * media URLs (status below 400): a listener fetches a segment every few seconds, so these go to
 * {@code io.cadenza.edge.access.media}, which the node's logging configuration keeps off unless
 * asked ({@code CADENZA_MEDIA_ACCESS_LOG=INFO}); the media metrics count them either way. Probes
 * log at DEBUG.
 */
public final class RequestLog {

  /** Routing-context key and header of the request id. */
  public static final String REQUEST_ID = "X-Request-Id";

  private static final Logger LOG = LoggerFactory.getLogger("io.cadenza.edge.access");
  private static final Logger MEDIA_LOG = LoggerFactory.getLogger("io.cadenza.edge.access.media");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  private RequestLog() {}

  static void handle(RoutingContext ctx) {
    String offered = ctx.request().getHeader(REQUEST_ID);
    String id = offered != null && SANE_ID.matcher(offered).matches() ? offered : newId();
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader(REQUEST_ID, id);
    long started = System.nanoTime();
    ctx.addEndHandler(
        done -> {
          String raw = ctx.request().path();
          int status = ctx.response().getStatusCode();
          boolean media = raw != null && raw.startsWith(MEDIA) && status < 400;
          if (media && !MEDIA_LOG.isInfoEnabled()) {
            return;
          }
          String path = loggable(raw);
          boolean probe =
              path.equals("/health") || path.equals("/ready") || path.equals("/metrics");
          var line = media ? MEDIA_LOG.atInfo() : probe ? LOG.atDebug() : LOG.atInfo();
          line.addKeyValue("requestId", id)
              .addKeyValue("method", ctx.request().method().name())
              .addKeyValue("path", path)
              .addKeyValue("status", status)
              .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000.0)
              .log("Served {} {}.", ctx.request().method().name(), path);
        });
    ctx.next();
  }

  private static final String MEDIA = "/media/";

  /**
   * A request path as logs may show it: a signed media URL's token is a credential until it
   * expires, so it is replaced by {@code -}.
   */
  public static String loggable(String path) {
    if (path == null || !path.startsWith(MEDIA)) {
      return path;
    }
    int slash = path.indexOf('/', MEDIA.length());
    return MEDIA + "-" + (slash < 0 ? "" : path.substring(slash));
  }

  /**
   * A new request id: 128 random bits in the UUID form. An id needs to be unique, not secret, so it
   * comes from the thread's fast generator rather than {@code UUID.randomUUID()}'s SecureRandom.
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(
            (random.nextLong() & ~0xf000L) | 0x4000L, // version 4
            (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L) // IETF variant
        .toString();
  }

  /** The id of the request being handled. */
  public static String id(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    return id == null ? "" : id;
  }
}
