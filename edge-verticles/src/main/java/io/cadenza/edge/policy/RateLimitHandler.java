package io.cadenza.edge.policy;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.RetriableException;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.policy.RateLimiter.Decision;
import io.cadenza.edge.policy.RateLimiter.Limit;
import io.cadenza.edge.policy.RateLimiter.Outcome;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rate limiting (and, for authenticated requests, the revocation check) as a route handler. It
 * fails the context and leaves the error body to the edge's failure handler: 429 {@code API rate
 * limit exceeded} with {@code Retry-After} through {@link RetriableException#saturated}, 401 {@code
 * The access token has been revoked} through {@link HttpException} (with the same {@code
 * WWW-Authenticate} challenge as any other invalid token).
 *
 * <p>The request is paused while Redis answers, so a body handler mounted after it still sees the
 * whole body.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {

  /** The message of a 429. */
  public static final String LIMITED_MESSAGE = "API rate limit exceeded";

  /** The message of a 401 for a revoked access token. */
  public static final String REVOKED_MESSAGE = "The access token has been revoked";

  private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
  private static final String INVALID_TOKEN_CHALLENGE =
      "Bearer realm=\"cadenza\", error=\"invalid_token\"";

  private final RateLimiter limiter;
  private final boolean perPrincipal;
  private final CadenzaSettings.Edge edge;

  private RateLimitHandler(RateLimiter limiter, CadenzaSettings.Edge edge, boolean perPrincipal) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.edge = Objects.requireNonNull(edge, "edge");
    this.perPrincipal = perPrincipal;
  }

  /**
   * For authenticated routes, mounted after the auth handler: the user's bucket (when the token has
   * a user) and the client's bucket, plus the revocation check of the token. A request without a
   * {@link Principal} passes unchecked: the auth handler decides who may be anonymous.
   */
  public static RateLimitHandler perPrincipal(RateLimiter limiter, CadenzaSettings.Edge edge) {
    return new RateLimitHandler(limiter, edge, true);
  }

  /**
   * For the account endpoints that take credentials (login, sign-up, token): one bucket per caller
   * address, {@code edge.perAddress()}. The address is the TCP peer's, so behind a proxy it is the
   * proxy's.
   */
  public static RateLimitHandler perAddress(RateLimiter limiter, CadenzaSettings.Edge edge) {
    return new RateLimitHandler(limiter, edge, false);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String tokenId = null;
    List<Limit> limits = new ArrayList<>(2);
    if (perPrincipal) {
      Principal principal = ctx.get(Principal.KEY);
      if (principal == null) {
        ctx.next();
        return;
      }
      tokenId = principal.tokenId();
      if (principal.hasUser()) {
        limits.add(Limit.user(principal.userId(), edge.perUser()));
      }
      limits.add(Limit.client(principal.clientId(), edge.perClient()));
    } else {
      SocketAddress remote = ctx.request().remoteAddress();
      String host = remote == null || remote.host() == null ? "unknown" : remote.host();
      limits.add(Limit.address(host, edge.perAddress()));
    }
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.pause();
    }
    limiter
        .acquire(tokenId, limits)
        .onComplete(
            done -> {
              if (!request.isEnded()) {
                request.resume();
              }
              // acquire never fails; a failure here is a bug and goes to the failure handler
              if (done.failed()) {
                ctx.fail(done.cause());
              } else {
                decide(ctx, done.result());
              }
            });
  }

  private static void decide(RoutingContext ctx, Decision decision) {
    if (decision.outcome() == Outcome.REVOKED) {
      ctx.response().putHeader(WWW_AUTHENTICATE, INVALID_TOKEN_CHALLENGE);
      ctx.fail(new HttpException(401, REVOKED_MESSAGE));
    } else if (decision.outcome() == Outcome.LIMITED) {
      ctx.fail(RetriableException.saturated(LIMITED_MESSAGE, decision.retryAfter()));
    } else {
      ctx.next();
    }
  }
}
