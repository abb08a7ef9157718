package io.cadenza.edge.oauth;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.cadenza.config.cql.Cql;
import io.cadenza.edge.auth.Secrets;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Authorization codes of the code flow with PKCE (RFC 7636, S256 only): short-lived, stored hashed,
 * redeemable once (a lightweight transaction marks them used), bound to the client, the redirect
 * URI and the code challenge.
 */
public final class AuthorizationCodes {

  /** RFC 7636: 43 to 128 characters of the unreserved set. */
  public static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

  private final Cql cql;
  private final Duration ttl;
  private final Clock clock;
  private PreparedStatement insert;
  private PreparedStatement byHash;
  private PreparedStatement use;

  private AuthorizationCodes(Cql cql, Duration ttl, Clock clock) {
    this.cql = cql;
    this.ttl = ttl;
    this.clock = clock;
  }

  public static Future<AuthorizationCodes> create(Cql cql, Duration ttl, Clock clock) {
    AuthorizationCodes codes = new AuthorizationCodes(cql, ttl, clock);
    return Future.all(
            cql.prepare(
                    "INSERT INTO %s.authorization_codes (code_hash, client_id, user_id,"
                        + " redirect_uri, scopes, code_challenge, used, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, false, ?) USING TTL ?")
                .onSuccess(p -> codes.insert = p),
            cql.prepare(
                    "SELECT client_id, user_id, redirect_uri, scopes, code_challenge, used"
                        + " FROM %s.authorization_codes WHERE code_hash = ?")
                .onSuccess(p -> codes.byHash = p),
            cql.prepare(
                    "UPDATE %s.authorization_codes USING TTL ? SET used = true"
                        + " WHERE code_hash = ? IF used = false")
                .onSuccess(p -> codes.use = p))
        .map(codes);
  }

  public Future<String> create(
      String clientId, String userId, String redirectUri, Set<String> scopes, String challenge) {
    String code = Secrets.token();
    return cql.execute(
            insert.bind(
                Secrets.hash(code),
                clientId,
                userId,
                redirectUri,
                scopes,
                challenge,
                clock.instant().plus(ttl),
                (int) ttl.toSeconds()))
        .map(done -> code);
  }

  /**
   * Redeems a code once.
   *
   * @return the grant, or a failed future with {@code invalid_grant}
   */
  public Future<Grant> redeem(String code, String clientId, String redirectUri, String verifier) {
    String hash = Secrets.hash(code);
    return cql.one(byHash.bind(hash))
        .compose(
            row -> {
              if (row == null
                  || row.getBoolean("used")
                  || !row.getString("client_id").equals(clientId)
                  || !row.getString("redirect_uri").equals(redirectUri)) {
                return invalid("Invalid authorization code");
              }
              String challenge = row.getString("code_challenge");
              if (challenge == null && verifier != null) {
                // PKCE downgrade (RFC 9700 2.1.1): a verifier for a code issued without a
                // challenge means the request was not the one the client started.
                return invalid("Invalid code verifier");
              }
              if (challenge != null
                  && (verifier == null
                      || !VERIFIER.matcher(verifier).matches()
                      || !Secrets.same(s256(verifier), challenge))) {
                return invalid("Invalid code verifier");
              }
              Grant grant =
                  new Grant(
                      row.getString("user_id"), clientId, row.getSet("scopes", String.class), null);
              return cql.applied(use.bind((int) ttl.toSeconds(), hash))
                  .compose(
                      won ->
                          won
                              ? Future.succeededFuture(grant)
                              : invalid("Invalid authorization code"));
            });
  }

  /** BASE64URL(SHA256(verifier)) without padding: the S256 code challenge of a verifier. */
  public static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static <T> Future<T> invalid(String description) {
    return Future.failedFuture(OAuthException.invalidGrant(description));
  }
}
