package io.cadenza.edge.accounts;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.cql.Cql;
import io.cadenza.edge.auth.AccessTokens;
import io.cadenza.edge.node.Infrastructure;
import io.cadenza.edge.oauth.AuthorizationCodes;
import io.cadenza.edge.oauth.ClientStore;
import io.cadenza.edge.oauth.DeviceCodes;
import io.cadenza.edge.oauth.RefreshTokens;
import io.cadenza.edge.oauth.SignIn;
import io.cadenza.edge.oauth.TokenEndpoint;
import io.cadenza.edge.oauth.TokenIssuer;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * The accounts feature wired together: stores (with their statements prepared), token issuing and
 * the handlers the edge mounts.
 */
public record Accounts(
    AccessTokens accessTokens, AccountsApi api, TokenEndpoint tokenEndpoint, SignIn signIn) {

  public static Future<Accounts> create(Infrastructure infra, Clock clock) {
    CadenzaSettings settings = infra.settings();
    CadenzaSettings.Auth auth = settings.auth();
    Cql cql = new Cql(infra.cql(), settings.cql().keyspace());
    AccessTokens accessTokens = new AccessTokens(infra.vertx(), auth, clock);
    Future<UserStore> users = UserStore.create(cql);
    Future<ClientStore> clients = ClientStore.create(cql, auth.firstPartyClientId());
    Future<RefreshTokens> refresh = RefreshTokens.create(cql, auth.refreshTokenTtl(), clock);
    Future<AuthorizationCodes> codes =
        AuthorizationCodes.create(cql, auth.authorizationCodeTtl(), clock);
    Future<DeviceCodes> devices =
        DeviceCodes.create(cql, auth.deviceCodeTtl(), auth.devicePollInterval(), clock);
    Future<Passwords> passwords =
        infra.vertx().executeBlocking(() -> new Passwords(infra.vertx(), auth.passwordHash()));
    return Future.all(users, clients, refresh, codes, devices, passwords)
        .map(
            all -> {
              TokenIssuer issuer =
                  new TokenIssuer(accessTokens, refresh.result(), users.result(), clock);
              return new Accounts(
                  accessTokens,
                  new AccountsApi(
                      users.result(),
                      passwords.result(),
                      issuer,
                      clients.result(),
                      settings,
                      clock),
                  new TokenEndpoint(
                      clients.result(),
                      codes.result(),
                      refresh.result(),
                      devices.result(),
                      issuer,
                      settings),
                  new SignIn(
                      clients.result(),
                      codes.result(),
                      devices.result(),
                      users.result(),
                      passwords.result()));
            });
  }
}
