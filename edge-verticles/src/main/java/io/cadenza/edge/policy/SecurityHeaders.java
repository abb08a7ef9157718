package io.cadenza.edge.policy;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Security headers on every response of the routes it is mounted on, error responses included (they
 * are added when the headers are written, whoever writes them). A header the route set itself is
 * kept, so a route may choose its own {@code Cache-Control} (media) or policy.
 *
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY}, {@code
 *       Referrer-Policy: no-referrer};
 *   <li>{@code Content-Security-Policy}: {@link #API_POLICY}, or {@link #HTML_POLICY} on routes
 *       that also mount {@link #forHtml()};
 *   <li>{@code Cache-Control: no-store} unless the route set its own;
 *   <li>{@code Strict-Transport-Security} only on requests that came over TLS.
 * </ul>
 *
 * <p>Mount {@link #create()} on every route first; mount {@link #forHtml()} on the routes that
 * serve an HTML page (the OAuth authorize page). The HTML policy wins whichever runs first.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

  /** The policy of JSON and media responses: nothing may load, nothing may frame them. */
  public static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

  /**
   * The policy of server-rendered pages: inline styles only, never framed. No {@code form-action}:
   * browsers apply it to the redirect that follows a form post too, and the sign-in form's answer
   * is a redirect to the app's registered URI.
   */
  public static final String HTML_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

  /** One year; subdomains are left to the operator's own front end. */
  public static final String HSTS = "max-age=31536000";

  private static final String POLICY_KEY = "cadenza.security.policy";

  private final String policy;
  private final boolean overrides;

  private SecurityHeaders(String policy, boolean overrides) {
    this.policy = policy;
    this.overrides = overrides;
  }

  /** The headers with the API policy; mount on every route. */
  public static SecurityHeaders create() {
    return new SecurityHeaders(API_POLICY, false);
  }

  /** The headers with the HTML page policy; mount on the routes that serve a page. */
  public static SecurityHeaders forHtml() {
    return new SecurityHeaders(HTML_POLICY, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean installed = ctx.get(POLICY_KEY) != null;
    if (overrides || !installed) {
      ctx.put(POLICY_KEY, policy);
    }
    if (!installed) {
      ctx.addHeadersEndHandler(v -> write(ctx));
    }
    ctx.next();
  }

  private static void write(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
    setIfAbsent(headers, "X-Frame-Options", "DENY");
    setIfAbsent(headers, "Referrer-Policy", "no-referrer");
    setIfAbsent(headers, "Content-Security-Policy", ctx.get(POLICY_KEY));
    setIfAbsent(headers, HttpHeaders.CACHE_CONTROL.toString(), "no-store");
    // The connection's own TLS: the router trusts no forwarded headers (and asking the request
    // would parse them on every response).
    if (ctx.request().connection().isSsl()) {
      setIfAbsent(headers, "Strict-Transport-Security", HSTS);
    }
  }

  private static void setIfAbsent(MultiMap headers, String name, String value) {
    if (!headers.contains(name)) {
      headers.set(name, value);
    }
  }
}
