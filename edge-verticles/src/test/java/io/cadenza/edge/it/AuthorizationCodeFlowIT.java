package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.edge.it.Api.Account;
import io.cadenza.edge.it.Api.Response;
import io.cadenza.edge.it.Api.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The authorization code grant with PKCE, as a third-party app (a public client) uses it. */
@ExtendWith(SharedNode.class)
class AuthorizationCodeFlowIT {

  private static final String REDIRECT = "http://127.0.0.1:8888/callback";

  private static Api api;
  private static String clientId;

  @BeforeAll
  static void registerApp() {
    api = new Api(SharedNode.running().url());
    Response registered =
        api.admin(
            "POST",
            "/admin/v1/clients",
            new JsonObject()
                .put("name", "Party playlist app")
                .put("redirect_uris", new JsonArray().add(REDIRECT))
                .put("confidential", false));
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    assertThat(registered.json().containsKey("client_secret")).isFalse();
    clientId = registered.json().getString("client_id");
  }

  @Test
  void anAppGetsTokensForTheScopesThePersonApproved() throws Exception {
    Account account = api.signUp();
    String verifier = verifier();
    Map<String, String> request = authorizeRequest(challenge(verifier), "user-read-email");

    Response page = api.get("/authorize?" + Api.form(request), null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
    assertThat(page.header("content-security-policy")).contains("frame-ancestors 'none'");
    assertThat(page.body()).contains("user-read-email").contains("Party playlist app");

    Map<String, String> callback = approve(request, account);
    assertThat(callback).containsEntry("state", "xyz-123").containsKey("code");

    Tokens tokens = Api.tokens(exchange(callback.get("code"), verifier));
    assertThat(tokens.scope()).isEqualTo("user-read-email");
    assertThat(tokens.refreshToken()).isNotBlank();
    JsonObject me = api.get("/v1/me", tokens.accessToken()).json();
    assertThat(me.getString("id")).isEqualTo(account.id());
    assertThat(me.getString("email")).isEqualTo(account.email());
    assertThat(me.containsKey("product")).isFalse();

    // A code works once.
    Response replay = exchange(callback.get("code"), verifier);
    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.json().getString("error")).isEqualTo("invalid_grant");

    // The app's refresh token is the app's: the first-party client cannot redeem it.
    Response stolen = api.refresh(tokens.refreshToken());
    assertThat(stolen.status()).isEqualTo(400);
    assertThat(stolen.json().getString("error")).isEqualTo("invalid_grant");
  }

  @Test
  void aWrongVerifierOrRedirectUriGetsNoTokens() throws Exception {
    Account account = api.signUp();
    String verifier = verifier();
    Map<String, String> request = authorizeRequest(challenge(verifier), "");
    String code = approve(request, account).get("code");
    Response wrongVerifier = exchange(code, verifier());
    assertThat(wrongVerifier.status()).isEqualTo(400);
    assertThat(wrongVerifier.json().getString("error")).isEqualTo("invalid_grant");

    String second = approve(request, account).get("code");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", second);
    form.put("redirect_uri", "http://127.0.0.1:8888/other");
    form.put("client_id", clientId);
    form.put("code_verifier", verifier);
    Response wrongRedirect = api.postForm("/api/token", form, null);
    assertThat(wrongRedirect.status()).isEqualTo(400);
    assertThat(wrongRedirect.json().getString("error")).isEqualTo("invalid_grant");
  }

  @Test
  void aDenialAndBadRequestsGoBackToTheAppOrStayOnCadenza() throws Exception {
    Map<String, String> request = authorizeRequest(challenge(verifier()), "");
    Map<String, String> deny = new LinkedHashMap<>(request);
    deny.put("decision", "deny");
    Response denied = api.postForm("/authorize", deny, null);
    assertThat(denied.status()).isEqualTo(302);
    assertThat(query(denied.header("location")))
        .containsEntry("error", "access_denied")
        .containsEntry("state", "xyz-123");

    Map<String, String> noPkce = new LinkedHashMap<>(request);
    noPkce.remove("code_challenge");
    Response missing = api.get("/authorize?" + Api.form(noPkce), null);
    assertThat(missing.status()).isEqualTo(302);
    assertThat(query(missing.header("location"))).containsEntry("error", "invalid_request");

    // An unregistered redirect URI never redirects: the error stays on Cadenza's page.
    Map<String, String> evil = new LinkedHashMap<>(request);
    evil.put("redirect_uri", "https://evil.example.com/steal");
    Response refused = api.get("/authorize?" + Api.form(evil), null);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.header("location")).isNull();
    assertThat(refused.body()).contains("redirect_uri is not registered");
  }

  @Test
  void aWrongPasswordShowsTheFormAgainWithoutACode() throws Exception {
    Account account = api.signUp();
    Map<String, String> form = new LinkedHashMap<>(authorizeRequest(challenge(verifier()), ""));
    form.put("email", account.email());
    form.put("password", "not the password");
    form.put("decision", "approve");
    Response again = api.postForm("/authorize", form, null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("location")).isNull();
    assertThat(again.body()).contains("Invalid email or password");
  }

  private Map<String, String> approve(Map<String, String> request, Account account) {
    Map<String, String> form = new LinkedHashMap<>(request);
    form.put("email", account.email());
    form.put("password", account.password());
    form.put("decision", "approve");
    Response redirect = api.postForm("/authorize", form, null);
    assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
    String location = redirect.header("location");
    assertThat(location).startsWith(REDIRECT + "?");
    return query(location);
  }

  private Response exchange(String code, String verifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", REDIRECT);
    form.put("client_id", clientId);
    form.put("code_verifier", verifier);
    return api.postForm("/api/token", form, null);
  }

  private static Map<String, String> authorizeRequest(String challenge, String scope) {
    Map<String, String> request = new LinkedHashMap<>();
    request.put("client_id", clientId);
    request.put("response_type", "code");
    request.put("redirect_uri", REDIRECT);
    request.put("scope", scope);
    request.put("state", "xyz-123");
    request.put("code_challenge_method", "S256");
    request.put("code_challenge", challenge);
    return request;
  }

  private static String verifier() {
    byte[] bytes = new byte[48];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String challenge(String verifier) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  private static Map<String, String> query(String location) {
    Map<String, String> params = new HashMap<>();
    String query = URI.create(location).getRawQuery();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }
}
