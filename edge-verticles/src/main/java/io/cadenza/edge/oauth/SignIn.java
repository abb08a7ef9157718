package io.cadenza.edge.oauth;

import io.cadenza.config.error.ValidationException;
import io.cadenza.edge.accounts.Html;
import io.cadenza.edge.accounts.Passwords;
import io.cadenza.edge.accounts.User;
import io.cadenza.edge.accounts.UserStore;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a person approves an app: the authorize page of the code flow ({@code /authorize}) and the
 * device page of the device grant ({@code /device}), both signing in with e-mail and password on
 * the spot, and {@code POST /api/device/approve} for an already signed-in app. A bad client or
 * redirect URI never redirects (RFC 6749 §4.1.2.1); other errors go back to the app.
 */
public final class SignIn {

  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43,128}");
  private static final String[] AUTHORIZE_FIELDS = {
    "client_id",
    "response_type",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method"
  };

  private final ClientStore clients;
  private final AuthorizationCodes codes;
  private final DeviceCodes deviceCodes;
  private final UserStore users;
  private final Passwords passwords;

  public SignIn(
      ClientStore clients,
      AuthorizationCodes codes,
      DeviceCodes deviceCodes,
      UserStore users,
      Passwords passwords) {
    this.clients = clients;
    this.codes = codes;
    this.deviceCodes = deviceCodes;
    this.users = users;
    this.passwords = passwords;
  }

  /** A checked authorization request. */
  private record AuthorizeRequest(
      Client client,
      String redirectUri,
      Set<String> scopes,
      String state,
      String challenge,
      Map<String, String> fields) {}

  /** GET /authorize: the sign-in and consent page. */
  public void authorizePage(RoutingContext ctx) {
    check(ctx, ctx.queryParams())
        .onSuccess(request -> html(ctx, 200, authorizeForm(request, null)))
        .onFailure(failure -> failUnlessHandled(ctx, failure));
  }

  /** POST /authorize: the person's decision. */
  public void authorizeDecision(RoutingContext ctx) {
    MultiMap form = TokenEndpoint.form(ctx);
    check(ctx, form)
        .onSuccess(
            request -> {
              if (!"approve".equals(form.get("decision"))) {
                redirect(ctx, request, Map.of("error", "access_denied"));
                return;
              }
              signIn(form.get("email"), form.get("password"))
                  .compose(
                      user -> {
                        if (user == null) {
                          html(ctx, 200, authorizeForm(request, "Invalid email or password"));
                          return Future.succeededFuture();
                        }
                        return codes
                            .create(
                                request.client().clientId(),
                                user.id(),
                                request.redirectUri(),
                                request.scopes(),
                                request.challenge())
                            .onSuccess(code -> redirect(ctx, request, Map.of("code", code)))
                            .mapEmpty();
                      })
                  .onFailure(ctx::fail);
            })
        .onFailure(failure -> failUnlessHandled(ctx, failure));
  }

  /** GET /device: the page where a person enters the code a speaker or TV shows. */
  public void devicePage(RoutingContext ctx) {
    html(ctx, 200, deviceForm(ctx.queryParams().get("user_code"), null));
  }

  /** POST /device: sign in and approve (or deny) a device. */
  public void deviceDecision(RoutingContext ctx) {
    MultiMap form = TokenEndpoint.form(ctx);
    String userCode = form.get("user_code");
    if (userCode == null || userCode.length() > 16) {
      html(ctx, 400, deviceForm(null, "Enter the code shown on your device"));
      return;
    }
    boolean approve = "approve".equals(form.get("decision"));
    signIn(form.get("email"), form.get("password"))
        .compose(
            user -> {
              if (user == null) {
                html(ctx, 200, deviceForm(userCode, "Invalid email or password"));
                return Future.succeededFuture();
              }
              return deviceCodes
                  .decide(userCode, user.id(), approve)
                  .onSuccess(
                      decided -> {
                        if (!decided) {
                          html(ctx, 400, deviceForm(null, "That code is unknown or has expired"));
                        } else {
                          html(
                              ctx,
                              200,
                              Html.page(
                                  approve ? "Device connected" : "Device denied",
                                  "<p>"
                                      + (approve
                                          ? "You can return to your device; it signs in within"
                                              + " a few seconds."
                                          : "The device was not given access.")
                                      + "</p>"));
                        }
                      })
                  .mapEmpty();
            })
        .onFailure(ctx::fail);
  }

  /**
   * POST /api/device/approve: one of Cadenza's own signed-in apps approves (or denies) a user code,
   * for no more scope than its own token carries. A third-party app's token may not: it would hand
   * the user's consent to another client (or to itself, wider).
   */
  public Future<Void> approveDevice(RoutingContext ctx) {
    Principal principal = ctx.get(Principal.KEY);
    if (!clients.firstParty().clientId().equals(principal.clientId())) {
      throw new HttpException(403, "Only Cadenza's own apps may approve devices");
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw new ValidationException("The request body must be a JSON object");
    }
    if (body == null
        || !(body.getValue("user_code") instanceof String userCode)
        || userCode.length() > 16
        || !(body.getValue("approve") instanceof Boolean approve)) {
      throw new ValidationException(
          "Invalid request body: user_code (string) and approve (boolean) are required");
    }
    return deviceCodes
        .decide(userCode, principal.userId(), approve, principal.scopes())
        .map(
            decided -> {
              if (!decided) {
                throw new ValidationException("Unknown or expired user code");
              }
              ctx.response().setStatusCode(204);
              return null;
            });
  }

  private Future<User> signIn(String email, String password) {
    if (email == null || password == null || email.length() > 254 || password.length() > 128) {
      return Future.succeededFuture(null);
    }
    return users
        .byEmail(UserStore.normalise(email))
        .compose(
            user ->
                passwords
                    .verifyOrDummy(password, user == null ? null : user.passwordHash())
                    .map(matches -> matches ? user : null));
  }

  /**
   * Validates an authorization request; failures are pages or redirects, never a redirect to a URI
   * the client did not register.
   */
  private Future<AuthorizeRequest> check(RoutingContext ctx, MultiMap params) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String name : AUTHORIZE_FIELDS) {
      if (params.getAll(name).size() > 1) {
        return badPage(ctx, name + " must not be repeated");
      }
      String value = params.get(name);
      if (value != null && value.length() > 2048) {
        return badPage(ctx, name + " is too long");
      }
      if (value != null) {
        fields.put(name, value);
      }
    }
    String redirectUri = fields.get("redirect_uri");
    return clients
        .get(fields.get("client_id"))
        .compose(
            client -> {
              if (client == null) {
                return badPage(ctx, "Unknown client_id");
              }
              if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
                return badPage(ctx, "redirect_uri is not registered for this app");
              }
              String state = fields.get("state");
              AuthorizeRequest partial =
                  new AuthorizeRequest(client, redirectUri, Set.of(), state, null, fields);
              if (!"code".equals(fields.get("response_type"))) {
                redirect(ctx, partial, Map.of("error", "unsupported_response_type"));
                return Future.failedFuture(new Handled());
              }
              var scopes = Scopes.parse(fields.get("scope"));
              if (scopes.isEmpty()) {
                redirect(ctx, partial, Map.of("error", "invalid_scope"));
                return Future.failedFuture(new Handled());
              }
              String challenge = fields.get("code_challenge");
              String method = fields.getOrDefault("code_challenge_method", "S256");
              boolean challengeOk =
                  challenge != null
                      && CHALLENGE.matcher(challenge).matches()
                      && "S256".equals(method);
              if ((challenge != null || !client.confidential()) && !challengeOk) {
                redirect(ctx, partial, Map.of("error", "invalid_request"));
                return Future.failedFuture(new Handled());
              }
              return Future.succeededFuture(
                  new AuthorizeRequest(
                      client, redirectUri, scopes.get(), state, challenge, fields));
            });
  }

  private static void failUnlessHandled(RoutingContext ctx, Throwable failure) {
    if (!(failure instanceof Handled)) {
      ctx.fail(failure);
    }
  }

  private <T> Future<T> badPage(RoutingContext ctx, String message) {
    html(
        ctx,
        400,
        Html.page(
            "Cannot sign in to this app", "<p class=\"error\">" + Html.escape(message) + "</p>"));
    return Future.failedFuture(new Handled());
  }

  private void redirect(RoutingContext ctx, AuthorizeRequest request, Map<String, String> params) {
    StringBuilder location = new StringBuilder(request.redirectUri());
    char separator = request.redirectUri().contains("?") ? '&' : '?';
    Map<String, String> all = new LinkedHashMap<>(params);
    if (request.state() != null) {
      all.put("state", request.state());
    }
    for (var entry : all.entrySet()) {
      location
          .append(separator)
          .append(entry.getKey())
          .append('=')
          .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location.toString()).end();
    }
  }

  private String authorizeForm(AuthorizeRequest request, String error) {
    StringBuilder hidden = new StringBuilder();
    request.fields().forEach((name, value) -> hidden.append(Html.hidden(name, value)));
    String scopes =
        request.scopes().isEmpty()
            ? "<p>It asks for no access to your data.</p>"
            : "<p>It asks to:</p><ul>"
                + request.scopes().stream()
                    .map(s -> "<li>" + Html.escape(s) + "</li>")
                    .reduce("", String::concat)
                + "</ul>";
    return Html.page(
        "Sign in to Cadenza",
        (error == null ? "" : "<p class=\"error\">" + Html.escape(error) + "</p>")
            + "<p><strong>"
            + Html.escape(request.client().name())
            + "</strong> wants to use your Cadenza account.</p>"
            + scopes
            + "<form method=\"post\" action=\"/authorize\">"
            + hidden
            + "<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\""
            + " autocomplete=\"username\" required>"
            + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\""
            + " type=\"password\" autocomplete=\"current-password\" required>"
            + "<button name=\"decision\" value=\"approve\">Agree</button>"
            + "<button name=\"decision\" value=\"deny\" formnovalidate>Cancel</button></form>");
  }

  private static String deviceForm(String userCode, String error) {
    return Html.page(
        "Connect a device",
        (error == null ? "" : "<p class=\"error\">" + Html.escape(error) + "</p>")
            + "<form method=\"post\" action=\"/device\">"
            + "<label for=\"user_code\">Code shown on the device</label>"
            + "<input id=\"user_code\" name=\"user_code\" required value=\""
            + Html.escape(userCode)
            + "\"><label for=\"email\">Email</label><input id=\"email\" name=\"email\""
            + " type=\"email\" required><label for=\"password\">Password</label>"
            + "<input id=\"password\" name=\"password\" type=\"password\" required>"
            + "<button name=\"decision\" value=\"approve\">Connect</button>"
            + "<button name=\"decision\" value=\"deny\">Deny</button></form>");
  }

  private static void html(RoutingContext ctx, int status, String page) {
    if (!ctx.response().ended()) {
      ctx.response()
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
          .end(page);
    }
  }

  /** A failure whose response (a page or a redirect) is already written. */
  private static final class Handled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Handled() {
      super("handled", null, false, false);
    }
  }
}
