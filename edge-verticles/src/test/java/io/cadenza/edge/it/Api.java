package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.edge.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** A small blocking client of a node's HTTP API for integration tests. */
public final class Api {

  public static final String DEFAULT_PASSWORD = "correct horse battery staple";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final String baseUrl;

  public Api(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** An answer: status, headers and the body as text. */
  public record Response(int status, HttpHeaders headers, String body) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The message of a Spotify error object, asserting the shape and that status matches. */
    public String errorMessage() {
      JsonObject error = json().getJsonObject("error");
      assertThat(error.getInteger("status")).as(body).isEqualTo(status);
      return error.getString("message");
    }
  }

  /** A user created through the sign-up endpoint. */
  public record Account(String id, String email, String password) {}

  /** The token response of a sign-in or a token grant. */
  public record Tokens(String accessToken, String refreshToken, String scope, long expiresIn) {

    static Tokens of(JsonObject json) {
      return new Tokens(
          json.getString("access_token"),
          json.getString("refresh_token"),
          json.getString("scope"),
          json.getLong("expires_in", 0L));
    }
  }

  /** Sends a request; {@code headers} alternate name and value. */
  public Response send(
      String method, String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response get(String path, String bearer) {
    return bearer == null
        ? send("GET", path, null, null)
        : send("GET", path, null, null, "Authorization", "Bearer " + bearer);
  }

  public Response postJson(String path, JsonObject json, String bearer) {
    byte[] body = json.encode().getBytes(StandardCharsets.UTF_8);
    return bearer == null
        ? send("POST", path, "application/json", body)
        : send("POST", path, "application/json", body, "Authorization", "Bearer " + bearer);
  }

  /** A form POST; {@code basic} is {@code client_id:client_secret} for HTTP Basic, or null. */
  public Response postForm(String path, Map<String, String> form, String basic) {
    byte[] body = form(form).getBytes(StandardCharsets.UTF_8);
    String type = "application/x-www-form-urlencoded";
    return basic == null
        ? send("POST", path, type, body)
        : send(
            "POST",
            path,
            type,
            body,
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
  }

  /** An admin call with the test admin token. */
  public Response admin(String method, String path, JsonObject json) {
    return send(
        method,
        path,
        "application/json",
        json.encode().getBytes(StandardCharsets.UTF_8),
        "Authorization",
        "Bearer " + TestNodes.ADMIN_TOKEN);
  }

  /** Signs up a new user with a unique e-mail address and {@link #DEFAULT_PASSWORD}. */
  public Account signUp() {
    String email = "user-" + UUID.randomUUID() + "@example.com";
    Response response =
        postJson(
            "/api/signup",
            new JsonObject()
                .put("email", email)
                .put("password", DEFAULT_PASSWORD)
                .put("display_name", "Test User")
                .put("country", "SE"),
            null);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return new Account(response.json().getString("id"), email, DEFAULT_PASSWORD);
  }

  /** Signs in with e-mail and password; {@code scope} null asks for every scope. */
  public Tokens logIn(Account account, String scope) {
    JsonObject body =
        new JsonObject().put("email", account.email()).put("password", account.password());
    if (scope != null) {
      body.put("scope", scope);
    }
    Response response = postJson("/api/login", body, null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return Tokens.of(response.json());
  }

  /** Exchanges a refresh token at {@code /api/token} for the first-party client. */
  public Response refresh(String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", "cadenza");
    return postForm("/api/token", form, null);
  }

  /**
   * Registers a confidential app with the admin API and returns a client-credentials access token
   * of it (an app token, no user).
   */
  public String appToken(String appName) {
    Response registered =
        admin(
            "POST",
            "/admin/v1/clients",
            new JsonObject()
                .put("name", appName)
                .put("redirect_uris", new JsonArray().add("https://app.example.com/callback"))
                .put("confidential", true));
    if (registered.status() != 201) {
      throw new AssertionError(
          "registering an app: " + registered.status() + " " + registered.body());
    }
    String clientId = registered.json().getString("client_id");
    String secret = registered.json().getString("client_secret");
    return tokens(
            postForm(
                "/api/token", Map.of("grant_type", "client_credentials"), clientId + ":" + secret))
        .accessToken();
  }

  public static Tokens tokens(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return Tokens.of(response.json());
  }

  public static String form(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
