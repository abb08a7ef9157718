package io.cadenza.edge.oauth;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.auth.Secrets;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Registered OAuth clients. The first-party client (Cadenza's own apps, from settings) always
 * exists: public, no redirect URIs, the only one allowed to sign in with email and password.
 */
public final class ClientStore {

  /** A registered client and, for a confidential one, its secret shown once. */
  public record Registration(Client client, String secret) {}

  private final Cql cql;
  private final Client firstParty;
  private PreparedStatement insert;
  private PreparedStatement byId;

  private ClientStore(Cql cql, String firstPartyClientId) {
    this.cql = cql;
    this.firstParty = new Client(firstPartyClientId, "Cadenza", null, Set.of(), false);
  }

  public static Future<ClientStore> create(Cql cql, String firstPartyClientId) {
    ClientStore store = new ClientStore(cql, firstPartyClientId);
    return Future.all(
            cql.prepare(
                    "INSERT INTO %s.oauth_clients (client_id, name, secret_hash, redirect_uris,"
                        + " confidential, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .onSuccess(p -> store.insert = p),
            cql.prepare(
                    "SELECT client_id, name, secret_hash, redirect_uris, confidential"
                        + " FROM %s.oauth_clients WHERE client_id = ?")
                .onSuccess(p -> store.byId = p))
        .map(store);
  }

  public Client firstParty() {
    return firstParty;
  }

  /** The client, or null when none has this id. */
  public Future<Client> get(String clientId) {
    if (clientId == null || clientId.isEmpty() || clientId.length() > 64) {
      return Future.succeededFuture(null);
    }
    if (clientId.equals(firstParty.clientId())) {
      return Future.succeededFuture(firstParty);
    }
    return cql.one(byId.bind(clientId)).map(row -> row == null ? null : toClient(row));
  }

  public Future<Registration> register(
      String name, List<String> redirectUris, boolean confidential) {
    String clientId = Base62Id.random();
    String secret = confidential ? Secrets.token() : null;
    Client client =
        new Client(
            clientId,
            name,
            secret == null ? null : Secrets.hash(secret),
            new LinkedHashSet<>(redirectUris),
            confidential);
    return cql.execute(
            insert.bind(
                clientId,
                name,
                client.secretHash(),
                client.redirectUris(),
                confidential,
                Instant.now()))
        .map(done -> new Registration(client, secret));
  }

  /**
   * Authenticates a client: a confidential client must present its secret; a public one must not
   * claim one it does not have.
   *
   * @return the client, or a failed future with {@code invalid_client}
   */
  public Future<Client> authenticate(String clientId, String secret) {
    return get(clientId)
        .compose(
            client -> {
              if (client == null) {
                return Future.failedFuture(OAuthException.invalidClient("Invalid client"));
              }
              if (client.confidential()) {
                if (secret == null || !Secrets.same(Secrets.hash(secret), client.secretHash())) {
                  return Future.failedFuture(OAuthException.invalidClient("Invalid client secret"));
                }
              } else if (secret != null && !secret.isEmpty()) {
                return Future.failedFuture(OAuthException.invalidClient("Invalid client secret"));
              }
              return Future.succeededFuture(client);
            });
  }

  private static Client toClient(Row row) {
    return new Client(
        row.getString("client_id"),
        row.getString("name"),
        row.getString("secret_hash"),
        row.getSet("redirect_uris", String.class),
        row.getBoolean("confidential"));
  }
}
