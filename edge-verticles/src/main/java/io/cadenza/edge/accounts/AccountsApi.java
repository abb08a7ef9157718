package io.cadenza.edge.accounts;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.NotFoundException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.cadenza.edge.oauth.ClientStore;
import io.cadenza.edge.oauth.TokenIssuer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sign-up, first-party sign-in and sign-out, the user objects ({@code /v1/me}, {@code
 * /v1/users/{id}}) and the admin operations on users and clients. Handlers return futures; errors
 * are thrown as the Cadenza exception family and written by the one failure handler.
 */
public final class AccountsApi {

  private static final Pattern EMAIL =
      Pattern.compile(
          "[^@\\s\\p{Cntrl}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  private final UserStore users;
  private final Passwords passwords;
  private final TokenIssuer tokens;
  private final ClientStore clients;
  private final CadenzaSettings settings;
  private final Clock clock;

  public AccountsApi(
      UserStore users,
      Passwords passwords,
      TokenIssuer tokens,
      ClientStore clients,
      CadenzaSettings settings,
      Clock clock) {
    this.users = users;
    this.passwords = passwords;
    this.tokens = tokens;
    this.clients = clients;
    this.settings = settings;
    this.clock = clock;
  }

  /** POST /api/signup → 201 with the private user object. */
  public Future<JsonObject> signUp(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String email = requiredString(body, "email", 254);
    String password = requiredString(body, "password", 128);
    String displayName = requiredString(body, "display_name", 64).strip();
    String country = requiredString(body, "country", 2);
    String normalised = UserStore.normalise(email);
    if (!EMAIL.matcher(normalised).matches()) {
      throw new ValidationException("Invalid request body: email must be an email address");
    }
    if (password.length() < 8) {
      throw new ValidationException(
          "Invalid request body: password must have at least 8 characters");
    }
    if (displayName.isEmpty() || displayName.codePoints().anyMatch(Character::isISOControl)) {
      throw new ValidationException(
          "Invalid request body: display_name must be 1 to 64 characters");
    }
    if (!COUNTRY.matcher(country).matches()) {
      throw new ValidationException(
          "Invalid request body: country must be an ISO 3166-1 alpha-2 code such as SE");
    }
    return passwords
        .hash(password)
        .compose(
            hash ->
                users.create(
                    new User(
                        Base62Id.random(),
                        normalised,
                        displayName,
                        country,
                        User.FREE,
                        null,
                        hash,
                        clock.instant())))
        .map(
            user -> {
              ctx.response().setStatusCode(201);
              return UserJson.privateUser(user, baseUrl(), null, clock.instant());
            });
  }

  /**
   * POST /api/login → the token response. Unknown e-mail and wrong password answer alike, in like
   * time (a dummy hash is checked when there is no user).
   */
  public Future<JsonObject> logIn(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String email = requiredString(body, "email", 254);
    String password = requiredString(body, "password", 128);
    String clientId = optionalString(body, "client_id", 64);
    String scope = optionalString(body, "scope", 1024);
    String client = clientId == null ? clients.firstParty().clientId() : clientId;
    if (!client.equals(clients.firstParty().clientId())) {
      throw new ValidationException(
          "Only Cadenza's own apps sign in with a password; other apps use /authorize");
    }
    Set<String> scopes =
        scope == null
            ? new java.util.LinkedHashSet<>(Scopes.ALL)
            : Scopes.parse(scope)
                .orElseThrow(() -> new ValidationException("Invalid request body: unknown scope"));
    return users
        .byEmail(UserStore.normalise(email))
        .compose(
            user ->
                passwords
                    .verifyOrDummy(password, user == null ? null : user.passwordHash())
                    .compose(
                        matches -> {
                          if (!matches) {
                            return Future.failedFuture(
                                new HttpException(401, "Invalid email or password"));
                          }
                          return tokens.signIn(user, client, scopes);
                        }));
  }

  /** GET /v1/me. */
  public Future<JsonObject> me(RoutingContext ctx) {
    Principal principal = ctx.get(Principal.KEY);
    return users
        .byId(principal.userId())
        .map(
            user -> {
              if (user == null) {
                ctx.response()
                    .putHeader(
                        "WWW-Authenticate", "Bearer realm=\"cadenza\", error=\"invalid_token\"");
                throw new HttpException(401, "Invalid access token");
              }
              return UserJson.privateUser(user, baseUrl(), principal, clock.instant());
            });
  }

  /** GET /v1/users/{user_id}. */
  public Future<JsonObject> userById(RoutingContext ctx) {
    String id = ctx.pathParam("user_id");
    if (!Base62Id.isValid(id)) {
      throw new ValidationException("Invalid user id");
    }
    return users
        .byId(id)
        .map(
            user -> {
              if (user == null) {
                throw new NotFoundException("No such user");
              }
              return UserJson.publicUser(user, baseUrl());
            });
  }

  /** PUT /admin/v1/users/{user_id}/product. */
  public Future<JsonObject> setProduct(RoutingContext ctx) {
    String id = ctx.pathParam("user_id");
    if (!Base62Id.isValid(id)) {
      throw new ValidationException("Invalid user id");
    }
    JsonObject body = jsonBody(ctx);
    String product = requiredString(body, "product", 16);
    if (!product.equals(User.FREE) && !product.equals(User.PREMIUM)) {
      throw new ValidationException("Invalid request body: product must be free or premium");
    }
    String expiresText = optionalString(body, "expires_at", 64);
    Instant expires;
    try {
      expires = expiresText == null ? null : Instant.parse(expiresText);
    } catch (DateTimeParseException e) {
      throw new ValidationException(
          "Invalid request body: expires_at must be a date-time like 2027-01-31T00:00:00Z");
    }
    return users
        .setProduct(id, product, expires)
        .map(
            found -> {
              if (!found) {
                throw new NotFoundException("No such user");
              }
              JsonObject json = new JsonObject().put("id", id).put("product", product);
              return expires == null
                  ? json.putNull("subscription_expires_at")
                  : json.put("subscription_expires_at", expires.toString());
            });
  }

  /** POST /admin/v1/clients → 201 with the client id (and secret, shown once). */
  public Future<JsonObject> registerClient(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String name = requiredString(body, "name", 64).strip();
    if (name.isEmpty()) {
      throw new ValidationException("Invalid request body: name must not be empty");
    }
    Object confidential = body.getValue("confidential");
    if (!(confidential instanceof Boolean isConfidential)) {
      throw new ValidationException("Invalid request body: confidential must be true or false");
    }
    Object uris = body.getValue("redirect_uris");
    if (!(uris instanceof JsonArray array) || array.size() > 10) {
      throw new ValidationException(
          "Invalid request body: redirect_uris must be a list of at most 10 URIs");
    }
    List<String> redirectUris = new ArrayList<>();
    for (Object uri : array) {
      if (!(uri instanceof String text) || !RedirectUris.isAcceptable(text)) {
        throw new ValidationException(
            "Invalid request body: each redirect URI must be an absolute http(s) URI without a"
                + " fragment");
      }
      redirectUris.add(text);
    }
    return clients
        .register(name, redirectUris, isConfidential)
        .map(
            registration -> {
              ctx.response().setStatusCode(201);
              JsonObject json =
                  new JsonObject()
                      .put("client_id", registration.client().clientId())
                      .put("name", name)
                      .put("redirect_uris", new JsonArray(redirectUris))
                      .put("confidential", isConfidential);
              if (registration.secret() != null) {
                json.put("client_secret", registration.secret());
              }
              return json;
            });
  }

  private String baseUrl() {
    return settings.http().publicUrl();
  }

  /** The request's JSON object body; anything else is a 400. */
  static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ValidationException(
          "The request body must be JSON (Content-Type: application/json)");
    }
    try {
      Object parsed = ctx.body().asJsonObject();
      if (parsed == null) {
        throw new ValidationException("The request body must be a JSON object");
      }
      return (JsonObject) parsed;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw new ValidationException("The request body must be a JSON object");
    }
  }

  static String requiredString(JsonObject body, String field, int maxLength) {
    String value = optionalString(body, field, maxLength);
    if (value == null) {
      throw new ValidationException("Invalid request body: " + field + " is required");
    }
    return value;
  }

  static String optionalString(JsonObject body, String field, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new ValidationException("Invalid request body: " + field + " must be a string");
    }
    if (text.length() > maxLength) {
      throw new ValidationException(
          "Invalid request body: " + field + " must be at most " + maxLength + " characters");
    }
    return text;
  }
}
