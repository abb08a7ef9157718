package io.cadenza.edge.oauth;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.auth.Scopes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /api/token} (authorization code with PKCE, refresh token, client credentials, device
 * code) and {@code POST /api/device/code}, in the shape of Spotify's accounts service and RFC 6749
 * / 8628. Form-encoded; clients authenticate with HTTP Basic or with {@code client_id} (and {@code
 * client_secret}) in the body.
 */
public final class TokenEndpoint {

  public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  private final ClientStore clients;
  private final AuthorizationCodes codes;
  private final RefreshTokens refreshTokens;
  private final DeviceCodes deviceCodes;
  private final TokenIssuer issuer;
  private final CadenzaSettings settings;

  public TokenEndpoint(
      ClientStore clients,
      AuthorizationCodes codes,
      RefreshTokens refreshTokens,
      DeviceCodes deviceCodes,
      TokenIssuer issuer,
      CadenzaSettings settings) {
    this.clients = clients;
    this.codes = codes;
    this.refreshTokens = refreshTokens;
    this.deviceCodes = deviceCodes;
    this.issuer = issuer;
    this.settings = settings;
  }

  /** POST /api/token. */
  public Future<JsonObject> token(RoutingContext ctx) {
    MultiMap form = form(ctx);
    String grantType = single(form, "grant_type");
    if (grantType == null) {
      throw OAuthException.invalidRequest("grant_type is required");
    }
    ClientCredentials credentials = clientCredentials(ctx, form);
    return switch (grantType) {
      case "authorization_code" -> authorizationCode(form, credentials);
      case "refresh_token" -> refresh(form, credentials);
      case "client_credentials" -> clientCredentialsGrant(credentials);
      case DEVICE_GRANT -> deviceCode(form, credentials);
      default ->
          throw new OAuthException(
              400,
              "unsupported_grant_type",
              "grant_type must be authorization_code, refresh_token,"
                  + " client_credentials or "
                  + DEVICE_GRANT);
    };
  }

  /** POST /api/device/code (RFC 8628 device authorization request). */
  public Future<JsonObject> deviceAuthorization(RoutingContext ctx) {
    MultiMap form = form(ctx);
    ClientCredentials credentials = clientCredentials(ctx, form);
    Set<String> scopes = scopes(single(form, "scope"));
    return clients
        .authenticate(credentials.clientId(), credentials.secret())
        .compose(client -> deviceCodes.start(client.clientId(), scopes))
        .map(
            started -> {
              String verification = settings.http().publicUrl() + "/device";
              return new JsonObject()
                  .put("device_code", started.deviceCode())
                  .put("user_code", started.userCode())
                  .put("verification_uri", verification)
                  .put(
                      "verification_uri_complete",
                      verification + "?user_code=" + started.userCode())
                  .put("expires_in", started.expiresIn())
                  .put("interval", started.interval());
            });
  }

  /** Sign-out: revokes the refresh token's family (unknown tokens are ignored). */
  public Future<Void> revokeFamilyOf(String refreshToken) {
    return refreshTokens.revokeFamilyOf(refreshToken, "sign-out");
  }

  private Future<JsonObject> authorizationCode(MultiMap form, ClientCredentials credentials) {
    String code = required(form, "code");
    String redirectUri = required(form, "redirect_uri");
    String verifier = single(form, "code_verifier");
    return clients
        .authenticate(credentials.clientId(), credentials.secret())
        .compose(
            client -> {
              if (!client.confidential() && verifier == null) {
                return Future.failedFuture(
                    OAuthException.invalidRequest("code_verifier is required (PKCE)"));
              }
              return codes.redeem(code, client.clientId(), redirectUri, verifier);
            })
        .compose(grant -> issuer.forGrant(grant, grant.scopes()));
  }

  private Future<JsonObject> refresh(MultiMap form, ClientCredentials credentials) {
    String token = required(form, "refresh_token");
    String scope = single(form, "scope");
    // Checked before the token is redeemed: a refused refresh must not use the token up.
    Set<String> asked = scope == null ? null : scopes(scope);
    return clients
        .authenticate(credentials.clientId(), credentials.secret())
        .compose(client -> refreshTokens.redeem(token, client.clientId(), asked))
        .compose(grant -> issuer.forGrant(grant, asked == null ? grant.scopes() : asked));
  }

  private Future<JsonObject> clientCredentialsGrant(ClientCredentials credentials) {
    return clients
        .authenticate(credentials.clientId(), credentials.secret())
        .compose(
            client -> {
              if (!client.confidential()) {
                return Future.failedFuture(
                    new OAuthException(
                        400,
                        "unauthorized_client",
                        "Only confidential clients may use client credentials"));
              }
              return Future.succeededFuture(issuer.forClient(client.clientId()));
            });
  }

  private Future<JsonObject> deviceCode(MultiMap form, ClientCredentials credentials) {
    String deviceCode = required(form, "device_code");
    return clients
        .authenticate(credentials.clientId(), credentials.secret())
        .compose(client -> deviceCodes.poll(deviceCode, client.clientId()))
        .compose(grant -> issuer.forGrant(grant, grant.scopes()));
  }

  private static Set<String> scopes(String text) {
    return Scopes.parse(text)
        .orElseThrow(() -> new OAuthException(400, "invalid_scope", "Unknown scope requested"));
  }

  /** Form parameters of an x-www-form-urlencoded body (the only body the OAuth endpoints take). */
  static MultiMap form(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw OAuthException.invalidRequest("The body must be application/x-www-form-urlencoded");
    }
    return ctx.request().formAttributes();
  }

  /** A parameter given at most once (RFC 6749 §3.2: repeated parameters are an error). */
  static String single(MultiMap form, String name) {
    var values = form.getAll(name);
    if (values.size() > 1) {
      throw OAuthException.invalidRequest(name + " must not be repeated");
    }
    String value = values.isEmpty() ? null : values.get(0);
    if (value != null && value.length() > 2048) {
      throw OAuthException.invalidRequest(name + " is too long");
    }
    return value == null || value.isEmpty() ? null : value;
  }

  static String required(MultiMap form, String name) {
    String value = single(form, name);
    if (value == null) {
      throw OAuthException.invalidRequest(name + " is required");
    }
    return value;
  }

  /** Client id and secret from HTTP Basic or from the body; not both. */
  record ClientCredentials(String clientId, String secret) {}

  static ClientCredentials clientCredentials(RoutingContext ctx, MultiMap form) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    String bodyId = single(form, "client_id");
    String bodySecret = single(form, "client_secret");
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      if (bodySecret != null) {
        throw OAuthException.invalidRequest("Use one way to authenticate the client");
      }
      String id;
      String secret;
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
          throw OAuthException.invalidClient("Malformed Basic credentials");
        }
        id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
        secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw OAuthException.invalidClient("Malformed Basic credentials");
      }
      if (bodyId != null && !bodyId.equals(id)) {
        throw OAuthException.invalidRequest("client_id does not match the Basic credentials");
      }
      return new ClientCredentials(id, secret);
    }
    if (bodyId == null) {
      throw OAuthException.invalidClient("client_id is required");
    }
    return new ClientCredentials(bodyId, bodySecret);
  }
}
