package io.cadenza.edge.oauth;

import io.cadenza.edge.accounts.User;
import io.cadenza.edge.accounts.UserStore;
import io.cadenza.edge.auth.AccessTokens;
import io.cadenza.edge.auth.Scopes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Set;

/** Makes the token responses of every grant, in the shape of Spotify's accounts service. */
public final class TokenIssuer {

  private final AccessTokens accessTokens;
  private final RefreshTokens refreshTokens;
  private final UserStore users;
  private final Clock clock;

  public TokenIssuer(
      AccessTokens accessTokens, RefreshTokens refreshTokens, UserStore users, Clock clock) {
    this.accessTokens = accessTokens;
    this.refreshTokens = refreshTokens;
    this.users = users;
    this.clock = clock;
  }

  /** A new sign-in: access token plus the first refresh token of a new family. */
  public Future<JsonObject> signIn(User user, String clientId, Set<String> scopes) {
    return refreshTokens
        .start(user.id(), clientId, scopes)
        .map(refresh -> response(user, clientId, scopes, refresh));
  }

  /** Tokens for a redeemed grant: a new family, or the next token of the grant's family. */
  public Future<JsonObject> forGrant(Grant grant, Set<String> scopes) {
    return users
        .byId(grant.userId())
        .compose(
            user -> {
              if (user == null) {
                return Future.failedFuture(
                    OAuthException.invalidGrant("The user no longer exists"));
              }
              Future<String> refresh =
                  grant.familyId() == null
                      ? refreshTokens.start(user.id(), grant.clientId(), scopes)
                      : refreshTokens.issue(
                          new Grant(user.id(), grant.clientId(), scopes, grant.familyId()));
              return refresh.map(token -> response(user, grant.clientId(), scopes, token));
            });
  }

  /** Client credentials: an access token for the client alone, no refresh token. */
  public JsonObject forClient(String clientId) {
    AccessTokens.Issued issued = accessTokens.issue(null, clientId, Set.of(), null);
    return new JsonObject()
        .put("access_token", issued.token())
        .put("token_type", "Bearer")
        .put("expires_in", issued.expiresInSeconds())
        .put("scope", "");
  }

  private JsonObject response(User user, String clientId, Set<String> scopes, String refresh) {
    AccessTokens.Issued issued =
        accessTokens.issue(user.id(), clientId, scopes, user.effectiveProduct(clock.instant()));
    return new JsonObject()
        .put("access_token", issued.token())
        .put("token_type", "Bearer")
        .put("expires_in", issued.expiresInSeconds())
        .put("refresh_token", refresh)
        .put("scope", Scopes.format(scopes));
  }
}
