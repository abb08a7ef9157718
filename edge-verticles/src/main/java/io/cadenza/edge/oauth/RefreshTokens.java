package io.cadenza.edge.oauth;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cadenza.config.cql.Cql;
import io.cadenza.edge.auth.Secrets;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotating refresh tokens. Each sign-in starts a family; every use of a refresh token retires it (a
 * lightweight transaction moves it from {@code active} to {@code rotated}) and issues the next one
 * in the same family. Presenting a retired token again means it was copied: the whole family is
 * revoked, so neither the thief nor the user can go on without signing in again (OAuth 2.0 Security
 * BCP). Tokens are stored only as SHA-256 hashes and expire by TTL.
 */
public final class RefreshTokens {

  private static final Logger LOG = LoggerFactory.getLogger(RefreshTokens.class);

  private final Cql cql;
  private final Duration ttl;
  private final Clock clock;
  private PreparedStatement insertToken;
  private PreparedStatement insertFamily;
  private PreparedStatement tokenByHash;
  private PreparedStatement familyById;
  private PreparedStatement retire;
  private PreparedStatement revokeFamily;

  private RefreshTokens(Cql cql, Duration ttl, Clock clock) {
    this.cql = cql;
    this.ttl = ttl;
    this.clock = clock;
  }

  public static Future<RefreshTokens> create(Cql cql, Duration ttl, Clock clock) {
    RefreshTokens store = new RefreshTokens(cql, ttl, clock);
    return Future.all(
            cql.prepare(
                    "INSERT INTO %s.refresh_tokens (token_hash, family_id, user_id, client_id,"
                        + " scopes, state, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, 'active',"
                        + " ?, ?) USING TTL ?")
                .onSuccess(p -> store.insertToken = p),
            cql.prepare(
                    "INSERT INTO %s.refresh_families (family_id, user_id, client_id, revoked)"
                        + " VALUES (?, ?, ?, false)")
                .onSuccess(p -> store.insertFamily = p),
            cql.prepare(
                    "SELECT family_id, user_id, client_id, scopes, state FROM %s.refresh_tokens"
                        + " WHERE token_hash = ?")
                .onSuccess(p -> store.tokenByHash = p),
            cql.prepare("SELECT revoked FROM %s.refresh_families WHERE family_id = ?")
                .onSuccess(p -> store.familyById = p),
            cql.prepare(
                    "UPDATE %s.refresh_tokens USING TTL ? SET state = 'rotated'"
                        + " WHERE token_hash = ? IF state = 'active'")
                .onSuccess(p -> store.retire = p),
            cql.prepare(
                    "UPDATE %s.refresh_families SET revoked = true, revoked_at = ?, reason = ?"
                        + " WHERE family_id = ?")
                .onSuccess(p -> store.revokeFamily = p))
        .map(store);
  }

  /** Starts a family (a sign-in) and issues its first token. */
  public Future<String> start(String userId, String clientId, Set<String> scopes) {
    String familyId = UUID.randomUUID().toString();
    return cql.execute(insertFamily.bind(familyId, userId, clientId))
        .compose(done -> issue(new Grant(userId, clientId, scopes, familyId)));
  }

  /** Issues the next token of a grant's family. */
  public Future<String> issue(Grant grant) {
    String token = Secrets.token();
    Instant now = clock.instant();
    return cql.execute(
            insertToken.bind(
                Secrets.hash(token),
                grant.familyId(),
                grant.userId(),
                grant.clientId(),
                grant.scopes(),
                now,
                now.plus(ttl),
                (int) ttl.toSeconds()))
        .map(done -> token);
  }

  /**
   * Retires a refresh token presented by {@code clientId} and returns its grant, whose family the
   * caller continues with {@link #issue}.
   *
   * @return the grant, or a failed future with {@code invalid_grant}
   */
  public Future<Grant> redeem(String token, String clientId) {
    return redeem(token, clientId, null);
  }

  /**
   * Like {@link #redeem(String, String)}, for a refresh that asks for {@code scopes} (null: the
   * grant's own). A scope wider than the grant's fails with {@code invalid_scope} before the token
   * is retired, so the refused request leaves it usable.
   */
  public Future<Grant> redeem(String token, String clientId, Set<String> scopes) {
    String hash = Secrets.hash(token);
    return cql.one(tokenByHash.bind(hash))
        .compose(
            row -> {
              if (row == null) {
                return invalid("Invalid refresh token");
              }
              Grant grant = toGrant(row);
              if (!grant.clientId().equals(clientId)) {
                return invalid("Invalid refresh token");
              }
              if (scopes != null && !grant.scopes().containsAll(scopes)) {
                return Future.failedFuture(
                    new OAuthException(400, "invalid_scope", "A refresh cannot widen the scope"));
              }
              return cql.one(familyById.bind(grant.familyId()))
                  .compose(
                      family -> {
                        if (family == null || family.getBoolean("revoked")) {
                          return invalid("Refresh token revoked");
                        }
                        if (!"active".equals(row.getString("state"))) {
                          return reused(grant);
                        }
                        return cql.applied(retire.bind((int) ttl.toSeconds(), hash))
                            .compose(won -> won ? Future.succeededFuture(grant) : reused(grant));
                      });
            });
  }

  /** Revokes the family of a token (sign-out); unknown tokens are ignored. */
  public Future<Void> revokeFamilyOf(String token, String reason) {
    return cql.one(tokenByHash.bind(Secrets.hash(token)))
        .compose(
            row ->
                row == null
                    ? Future.succeededFuture()
                    : revoke(row.getString("family_id"), reason));
  }

  private Future<Void> revoke(String familyId, String reason) {
    return cql.execute(revokeFamily.bind(clock.instant(), reason, familyId)).mapEmpty();
  }

  private Future<Grant> reused(Grant grant) {
    LOG.atWarn()
        .addKeyValue("userId", grant.userId())
        .addKeyValue("clientId", grant.clientId())
        .log("A retired refresh token was presented again; revoking its whole family.");
    return revoke(grant.familyId(), "reuse").compose(done -> invalid("Refresh token revoked"));
  }

  private static <T> Future<T> invalid(String description) {
    return Future.failedFuture(OAuthException.invalidGrant(description));
  }

  private static Grant toGrant(Row row) {
    return new Grant(
        row.getString("user_id"),
        row.getString("client_id"),
        row.getSet("scopes", String.class),
        row.getString("family_id"));
  }
}
