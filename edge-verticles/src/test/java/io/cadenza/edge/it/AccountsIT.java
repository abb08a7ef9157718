package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.edge.it.Api.Account;
import io.cadenza.edge.it.Api.Response;
import io.cadenza.edge.it.Api.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sign-up, sign-in, the user objects, refresh rotation, sign-out, scopes and the admin API. */
@ExtendWith(SharedNode.class)
class AccountsIT {

  private static Api api;

  @BeforeAll
  static void client() {
    api = new Api(SharedNode.running().url());
  }

  @Test
  void signUpAnswersThePrivateUserObjectAndAnEmailIsTakenOnce() {
    String email = "Ada." + System.nanoTime() + "@Example.com";
    JsonObject body =
        new JsonObject()
            .put("email", email)
            .put("password", "a long enough password")
            .put("display_name", "Ada")
            .put("country", "GB");
    Response created = api.postJson("/api/signup", body, null);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject user = created.json();
    assertThat(user.getString("id")).matches("[0-9A-Za-z]{22}");
    assertThat(user.getString("email")).isEqualTo(email.toLowerCase(Locale.ROOT));
    assertThat(user.getString("display_name")).isEqualTo("Ada");
    assertThat(user.getString("country")).isEqualTo("GB");
    assertThat(user.getString("product")).isEqualTo("free");
    assertThat(user.getString("type")).isEqualTo("user");
    assertThat(user.getString("uri")).isEqualTo("cadenza:user:" + user.getString("id"));
    assertThat(user.containsKey("password")).isFalse();

    Response again =
        api.postJson("/api/signup", body.copy().put("email", email.toUpperCase(Locale.ROOT)), null);
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.errorMessage()).isEqualTo("This email address is already registered");
  }

  @Test
  void signInGivesTokensAndMeIsThePrivateUserObject() {
    Account account = api.signUp();
    Tokens tokens = api.logIn(account, null);
    assertThat(tokens.accessToken()).isNotBlank();
    assertThat(tokens.refreshToken()).isNotBlank();
    assertThat(tokens.expiresIn()).isEqualTo(3600);
    assertThat(tokens.scope()).contains("user-read-private", "user-read-email");

    Response me = api.get("/v1/me", tokens.accessToken());
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    JsonObject user = me.json();
    assertThat(user.getString("id")).isEqualTo(account.id());
    assertThat(user.getString("email")).isEqualTo(account.email());
    assertThat(user.getString("country")).isEqualTo("SE");
    assertThat(user.getString("product")).isEqualTo("free");
    assertThat(user.getJsonObject("followers").getInteger("total")).isZero();
    assertThat(user.getJsonArray("images")).isEqualTo(new JsonArray());
    assertThat(user.getString("href")).endsWith("/v1/users/" + account.id());
  }

  @Test
  void meShowsOnlyWhatTheScopesAllow() {
    Account account = api.signUp();
    JsonObject emailOnly =
        api.get("/v1/me", api.logIn(account, "user-read-email").accessToken()).json();
    assertThat(emailOnly.getString("email")).isEqualTo(account.email());
    assertThat(emailOnly.containsKey("country")).isFalse();
    assertThat(emailOnly.containsKey("product")).isFalse();

    JsonObject privateOnly =
        api.get("/v1/me", api.logIn(account, "user-read-private").accessToken()).json();
    assertThat(privateOnly.containsKey("email")).isFalse();
    assertThat(privateOnly.getString("product")).isEqualTo("free");
  }

  @Test
  void anEndpointAnswers403WithoutItsScopeAndGoesOnWithIt() {
    Account account = api.signUp();
    String narrow = api.logIn(account, "user-read-email").accessToken();
    Response refused = api.get("/v1/me/playlists", narrow);
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.errorMessage()).isEqualTo("Insufficient client scope");

    // With the scope the request passes the check and reaches the endpoint, not built yet.
    String playlists = api.logIn(account, "playlist-read-private").accessToken();
    Response allowed = api.get("/v1/me/playlists", playlists);
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(501);
    assertThat(allowed.errorMessage()).isEqualTo("Not implemented yet");
    // Spotify accepts either of two scopes for currently-playing: a built endpoint checks alike.
    String playing = api.logIn(account, "user-read-currently-playing").accessToken();
    assertThat(api.get("/v1/me/player/currently-playing", playing).status()).isEqualTo(204);
    assertThat(api.get("/v1/me/player/currently-playing", narrow).status()).isEqualTo(403);
  }

  @Test
  void signInAcceptsEverySpotifyScopeNameAndRefusesUnknownOnes() {
    Account account = api.signUp();
    Tokens tokens = api.logIn(account, "streaming,user-read-currently-playing app-remote-control");
    assertThat(tokens.scope().split(" "))
        .containsExactly("user-read-currently-playing", "app-remote-control", "streaming");
    Response unknown =
        api.postJson(
            "/api/login",
            new JsonObject()
                .put("email", account.email())
                .put("password", account.password())
                .put("scope", "user-read-everything"),
            null);
    assertThat(unknown.status()).isEqualTo(400);
  }

  @Test
  void publicUserObjectHidesPrivateFields() {
    Account account = api.signUp();
    Account other = api.signUp();
    String token = api.logIn(account, null).accessToken();
    Response response = api.get("/v1/users/" + other.id(), token);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonObject user = response.json();
    assertThat(user.getString("id")).isEqualTo(other.id());
    assertThat(user.getString("display_name")).isEqualTo("Test User");
    assertThat(user.fieldNames()).doesNotContain("email", "country", "product", "explicit_content");

    Response unknown = api.get("/v1/users/0000000000000000000000", token);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorMessage()).isEqualTo("No such user");
    Response malformed = api.get("/v1/users/not-an-id", token);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.errorMessage()).isNotBlank();
    assertThat(api.get("/v1/users/" + other.id(), null).status()).isEqualTo(401);
  }

  @Test
  void refreshRotatesAndReusingARotatedTokenRevokesTheFamily() {
    Account account = api.signUp();
    Tokens first = api.logIn(account, null);
    Tokens second = Api.tokens(api.refresh(first.refreshToken()));
    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThat(second.scope()).isEqualTo(first.scope());
    assertThat(api.get("/v1/me", second.accessToken()).status()).isEqualTo(200);

    Response reuse = api.refresh(first.refreshToken());
    assertThat(reuse.status()).isEqualTo(400);
    assertThat(reuse.json().getString("error")).isEqualTo("invalid_grant");
    // The thief's reuse cost the legitimate holder its newer token too.
    Response afterReuse = api.refresh(second.refreshToken());
    assertThat(afterReuse.status()).isEqualTo(400);
    assertThat(afterReuse.json().getString("error")).isEqualTo("invalid_grant");
    // Other sign-ins of the user are other families and live on.
    Tokens elsewhere = api.logIn(account, null);
    assertThat(api.refresh(elsewhere.refreshToken()).status()).isEqualTo(200);
  }

  @Test
  void aRefreshMayNarrowButNotWidenTheScope() {
    Account account = api.signUp();
    Tokens tokens = api.logIn(account, "user-read-email user-read-private");
    Response narrowed =
        api.postForm(
            "/api/token",
            Map.of(
                "grant_type", "refresh_token",
                "refresh_token", tokens.refreshToken(),
                "client_id", "cadenza",
                "scope", "user-read-email"),
            null);
    Tokens narrow = Api.tokens(narrowed);
    assertThat(narrow.scope()).isEqualTo("user-read-email");
    Response widened =
        api.postForm(
            "/api/token",
            Map.of(
                "grant_type", "refresh_token",
                "refresh_token", narrow.refreshToken(),
                "client_id", "cadenza",
                "scope", "user-read-email user-top-read"),
            null);
    assertThat(widened.status()).isEqualTo(400);
    assertThat(widened.json().getString("error")).isEqualTo("invalid_scope");
  }

  @Test
  void signOutRevokesTheRefreshTokenAndTheAccessToken() {
    Account account = api.signUp();
    Tokens tokens = api.logIn(account, null);
    Response out =
        api.postJson(
            "/api/logout",
            new JsonObject().put("refresh_token", tokens.refreshToken()),
            tokens.accessToken());
    assertThat(out.status()).as(out.body()).isEqualTo(204);
    assertThat(api.refresh(tokens.refreshToken()).json().getString("error"))
        .isEqualTo("invalid_grant");
    Response me = api.get("/v1/me", tokens.accessToken());
    assertThat(me.status()).isEqualTo(401);
    assertThat(me.errorMessage()).isEqualTo("The access token has been revoked");
  }

  @Test
  void anAdminSetsTheProductAndTheUserSeesIt() {
    Account account = api.signUp();
    Response set =
        api.admin(
            "PUT",
            "/admin/v1/users/" + account.id() + "/product",
            new JsonObject().put("product", "premium").put("expires_at", "2099-01-01T00:00:00Z"));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().getString("subscription_expires_at")).isEqualTo("2099-01-01T00:00:00Z");
    Response me = api.get("/v1/me", api.logIn(account, null).accessToken());
    assertThat(me.json().getString("product")).isEqualTo("premium");

    Response lapsed =
        api.admin(
            "PUT",
            "/admin/v1/users/" + account.id() + "/product",
            new JsonObject().put("product", "premium").put("expires_at", "2001-01-01T00:00:00Z"));
    assertThat(lapsed.status()).isEqualTo(200);
    assertThat(
            api.get("/v1/me", api.logIn(account, null).accessToken()).json().getString("product"))
        .as("a lapsed subscription is free")
        .isEqualTo("free");

    // The scheme is case-insensitive (RFC 9110), the token is not.
    Response lowerCaseScheme =
        api.send(
            "PUT",
            "/admin/v1/users/" + account.id() + "/product",
            "application/json",
            "{\"product\":\"free\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "Authorization",
            "bearer " + io.cadenza.edge.TestNodes.ADMIN_TOKEN);
    assertThat(lowerCaseScheme.status()).as(lowerCaseScheme.body()).isEqualTo(200);

    Response unknown =
        api.admin(
            "PUT",
            "/admin/v1/users/0000000000000000000000/product",
            new JsonObject().put("product", "premium"));
    assertThat(unknown.status()).isEqualTo(404);
    Response userToken =
        api.send(
            "PUT",
            "/admin/v1/users/" + account.id() + "/product",
            "application/json",
            "{\"product\":\"premium\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + api.logIn(account, null).accessToken());
    assertThat(userToken.status()).isEqualTo(401);
  }

  @Test
  void clientCredentialsGiveCatalogAccessOnly() {
    Response registered =
        api.admin(
            "POST",
            "/admin/v1/clients",
            new JsonObject()
                .put("name", "Catalog browser")
                .put("redirect_uris", new JsonArray().add("https://app.example.com/callback"))
                .put("confidential", true));
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    String clientId = registered.json().getString("client_id");
    String secret = registered.json().getString("client_secret");

    Tokens tokens =
        Api.tokens(
            api.postForm(
                "/api/token", Map.of("grant_type", "client_credentials"), clientId + ":" + secret));
    assertThat(tokens.refreshToken()).isNull();
    Response me = api.get("/v1/me", tokens.accessToken());
    assertThat(me.status()).isEqualTo(403);
    assertThat(me.errorMessage()).isEqualTo("This endpoint needs a user's token");
    // Catalog endpoints take app tokens.
    assertThat(api.get("/v1/search?q=x&type=track", tokens.accessToken()).status()).isEqualTo(200);

    Response wrongSecret =
        api.postForm("/api/token", Map.of("grant_type", "client_credentials"), clientId + ":nope");
    assertThat(wrongSecret.status()).isEqualTo(401);
    assertThat(wrongSecret.json().getString("error")).isEqualTo("invalid_client");
  }
}
