package io.cadenza.edge.auth;

import io.cadenza.config.CadenzaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Signs and verifies access tokens: HS256 JWTs carrying {@code sub} (the user, absent for
 * client-credentials tokens), {@code cid} (the client), {@code scope}, {@code product} and a {@code
 * jti}. The first configured key signs (its id in the {@code kid} header); every configured key
 * verifies, so a key rotates by putting a new one first and dropping the old one once its tokens
 * have expired.
 */
public final class AccessTokens {

  private final JWTAuth signer;
  private final JWTAuth verifier;
  private final CadenzaSettings.Auth settings;
  private final Clock clock;

  public AccessTokens(Vertx vertx, CadenzaSettings.Auth settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.signer = JWTAuth.create(vertx, options(settings.signingKeys().subList(0, 1)));
    this.verifier = JWTAuth.create(vertx, options(settings.signingKeys()));
  }

  private JWTAuthOptions options(List<CadenzaSettings.SigningKey> keys) {
    JWTAuthOptions options =
        new JWTAuthOptions()
            .setJWTOptions(
                new JWTOptions()
                    .setIssuer(settings.issuer())
                    .setAlgorithm("HS256")
                    .setLeeway(5)
                    .setNoTimestamp(false));
    for (CadenzaSettings.SigningKey key : keys) {
      options.addJwk(
          new JsonObject()
              .put("kty", "oct")
              .put("kid", key.id())
              .put("alg", "HS256")
              .put("use", "sig")
              .put("k", Base64.getUrlEncoder().withoutPadding().encodeToString(key.secret())));
    }
    return options;
  }

  /** An issued token with what it carries. */
  public record Issued(String token, Principal principal, long expiresInSeconds) {}

  /** Issues a token for a user (userId non-null) or for a client alone. */
  public Issued issue(String userId, String clientId, Set<String> scopes, String product) {
    long ttl = settings.accessTokenTtl().toSeconds();
    String jti = UUID.randomUUID().toString();
    JsonObject claims =
        new JsonObject().put("cid", clientId).put("scope", Scopes.format(scopes)).put("jti", jti);
    JWTOptions options =
        new JWTOptions()
            .setAlgorithm("HS256")
            .setIssuer(settings.issuer())
            .setExpiresInSeconds((int) ttl);
    if (userId != null) {
      options.setSubject(userId);
      claims.put("product", product);
    }
    String token = signer.generateToken(claims, options);
    Instant expires = clock.instant().plusSeconds(ttl);
    return new Issued(
        token, new Principal(userId, clientId, Set.copyOf(scopes), product, jti, expires), ttl);
  }

  /**
   * Verifies a token's signature, algorithm, issuer and expiry.
   *
   * @return the principal, or a failed future with a message fit for the client
   */
  public Future<Principal> verify(String token) {
    Future<io.vertx.ext.auth.User> verified;
    try {
      verified = verifier.authenticate(new TokenCredentials(token));
    } catch (RuntimeException malformed) {
      // The library throws for some signed but ill-typed claims (a string exp, say).
      verified = Future.failedFuture(malformed);
    }
    return verified
        .recover(
            failure ->
                Future.failedFuture(
                    new InvalidTokenException(
                        failure.getMessage() != null
                                && failure.getMessage().toLowerCase().contains("expired")
                            ? "The access token expired"
                            : "Invalid access token")))
        .compose(
            user -> {
              // vertx-auth-jwt keeps the verified payload (with exp and iat) under accessToken
              JsonObject claims = user.attributes().getJsonObject("accessToken");
              if (claims == null) {
                return Future.failedFuture(new InvalidTokenException("Invalid access token"));
              }
              try {
                return Future.succeededFuture(principal(claims));
              } catch (InvalidTokenException | ClassCastException illTyped) {
                return Future.failedFuture(new InvalidTokenException("Invalid access token"));
              }
            });
  }

  private static Principal principal(JsonObject claims) {
    String clientId = claims.getString("cid");
    String jti = claims.getString("jti");
    Long exp = claims.getLong("exp");
    Object scope = claims.getValue("scope");
    if (clientId == null || jti == null || exp == null || !(scope instanceof String s)) {
      throw new InvalidTokenException("Invalid access token");
    }
    Set<String> scopes = new LinkedHashSet<>(Scopes.parse(s).orElse(Set.of()));
    return new Principal(
        claims.getString("sub"),
        clientId,
        Set.copyOf(scopes),
        claims.getString("product"),
        jti,
        Instant.ofEpochSecond(exp));
  }

  /** A token that is malformed, forged, expired or revoked. */
  public static final class InvalidTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String message) {
      super(message, null, false, false);
    }
  }
}
