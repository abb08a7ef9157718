package io.cadenza.edge.auth;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request acts for, from a verified access token: a user through a client app, or a client
 * alone (client-credentials tokens, catalog only). Put on the routing context by {@link BearerAuth}
 * under {@link #KEY}.
 *
 * @param userId the user's id, or null for a client-credentials token
 * @param clientId the app the token was issued to
 * @param scopes the granted scopes (Spotify's names)
 * @param product {@code free} or {@code premium} at issue time (null without a user)
 * @param tokenId the token's {@code jti}, for revocation
 * @param expiresAt when the token stops being valid
 */
public record Principal(
    String userId,
    String clientId,
    Set<String> scopes,
    String product,
    String tokenId,
    Instant expiresAt) {

  /** Routing-context key of the principal. */
  public static final String KEY = "cadenza.principal";

  public boolean hasUser() {
    return userId != null;
  }

  public boolean has(String scope) {
    return scopes.contains(scope);
  }

  /** The principal of an authenticated request, if any. */
  public static Optional<Principal> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }
}
