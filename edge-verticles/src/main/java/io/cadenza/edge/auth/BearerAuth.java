package io.cadenza.edge.auth;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Authenticates {@code Authorization: Bearer <token>} (the scheme in any case, extra spaces
 * tolerated, as real clients send it) and puts the {@link Principal} on the context. Missing or
 * invalid tokens get 401 with Spotify's messages and a {@code WWW-Authenticate} challenge.
 */
public final class BearerAuth implements Handler<RoutingContext> {

  private static final int MAX_TOKEN_LENGTH = 4096;

  private final AccessTokens tokens;
  private final boolean optional;

  private BearerAuth(AccessTokens tokens, boolean optional) {
    this.tokens = tokens;
    this.optional = optional;
  }

  /** Requires a valid token. */
  public static BearerAuth required(AccessTokens tokens) {
    return new BearerAuth(tokens, false);
  }

  /** Uses a token when one is sent; a bad one still fails. */
  public static BearerAuth optional(AccessTokens tokens) {
    return new BearerAuth(tokens, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      if (optional && ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
        ctx.next();
        return;
      }
      unauthorized(ctx, "No token provided");
      return;
    }
    tokens
        .verify(token)
        .onSuccess(
            principal -> {
              ctx.put(Principal.KEY, principal);
              ctx.next();
            })
        .onFailure(failure -> unauthorized(ctx, failure.getMessage()));
  }

  /** The token of a Bearer header, or null when the header is absent or not Bearer. */
  public static String bearerToken(String header) {
    if (header == null) {
      return null;
    }
    String value = header.strip();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = value.substring(7).strip();
    return token.isEmpty() || token.length() > MAX_TOKEN_LENGTH ? null : token;
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response()
        .putHeader("WWW-Authenticate", "Bearer realm=\"cadenza\", error=\"invalid_token\"");
    ctx.fail(new HttpException(401, message));
  }
}
