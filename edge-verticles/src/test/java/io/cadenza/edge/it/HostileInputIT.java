package io.cadenza.edge.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.TestNodes;
import io.cadenza.edge.it.Api.Account;
import io.cadenza.edge.it.Api.Response;
import io.cadenza.edge.it.Api.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input against a real node: malformed, oversized and mis-encoded requests, injection
 * strings, forged tokens, scope escalation, other users' resources and replayed credentials. Every
 * case asserts the exact 4xx answer (and its error object), and where a write was attempted that
 * nothing changed. No answer of the whole suite may be a 5xx: every status is collected, and the
 * node's own metrics are compared before and after.
 */
@ExtendWith(SharedNode.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

  private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  private static final String ALL_SCOPES =
      "user-read-playback-state user-modify-playback-state user-read-recently-played"
          + " user-top-read playlist-read-private playlist-modify-private playlist-modify-public"
          + " user-library-read user-library-modify user-follow-read user-follow-modify"
          + " user-read-private user-read-email";
  private static final String PUBLIC_REDIRECT = "https://app.example.com/callback";
  private static final String OTHER_REDIRECT = "https://other.example.com/callback";
  private static final String CONFIDENTIAL_REDIRECT = "https://server.example.com/callback";
  private static final int BODY_LIMIT = 64 * 1024;

  /** Every status the suite received, with what was asked, to prove none was a 5xx. */
  private static final ConcurrentLinkedQueue<String> ANSWERS = new ConcurrentLinkedQueue<>();

  private static Api api;
  private static int port;
  private static CadenzaSettings settings;
  private static double fiveXxBefore;

  private static Account alice;
  private static Account bob;
  private static Tokens aliceTokens;
  private static Tokens bobTokens;
  private static String publicClient;
  private static String otherClient;
  private static String confidentialClient;
  private static String confidentialSecret;

  @BeforeAll
  static void setUp() {
    SharedNode.Running node = SharedNode.running();
    settings = node.settings();
    api = new Api(node.url());
    port = URI.create(node.url()).getPort();
    fiveXxBefore = fiveXxAnswers();
    alice = api.signUp();
    bob = api.signUp();
    aliceTokens = api.logIn(alice, null);
    bobTokens = api.logIn(bob, null);
    publicClient = registerClient("Public app", PUBLIC_REDIRECT, false).getString("client_id");
    otherClient = registerClient("Other app", OTHER_REDIRECT, false).getString("client_id");
    JsonObject confidential = registerClient("Server app", CONFIDENTIAL_REDIRECT, true);
    confidentialClient = confidential.getString("client_id");
    confidentialSecret = confidential.getString("client_secret");
  }

  // ---------------------------------------------------------------------------------------------
  // Malformed JSON, wrong types, missing fields and wrong Content-Type on the JSON endpoints.
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> malformedSignUps() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String deepObject = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
    return Stream.of(
        signUpCase("truncated", "{\"email\":\"%s\",\"password\":\"", "malformed JSON"),
        signUpCase("trailing garbage", valid() + " xyz", "malformed JSON"),
        signUpCase("trailing second object", valid() + "{}", "malformed JSON"),
        signUpCase("top-level array", "[" + valid() + "]", "expected a JSON object"),
        signUpCase("top-level string", "\"%s\"", "expected a JSON object"),
        signUpCase("top-level number", "42", "expected a JSON object"),
        signUpCase("top-level null", "null", "expected a JSON object"),
        signUpCase("top-level true", "true", "expected a JSON object"),
        signUpCase("5000 nested arrays", deep, "malformed JSON"),
        signUpCase("5000 nested objects", deepObject, "malformed JSON"),
        signUpCase(
            "huge number for email", valid().replace("\"%s\"", "1" + "0".repeat(5000)), null),
        signUpCase("huge exponent for country", valid().replace("\"SE\"", "1e999999999"), null),
        signUpCase("NaN", valid().replace("\"SE\"", "NaN"), "malformed JSON"),
        signUpCase("Infinity", valid().replace("\"SE\"", "Infinity"), "malformed JSON"),
        signUpCase("single quotes", valid().replace("\"country\":\"SE\"", "'country':'SE'"), null),
        signUpCase("unquoted key", valid().replace("\"country\"", "country"), "malformed JSON"),
        signUpCase("comment", "/* hi */" + valid(), "malformed JSON"),
        signUpCase(
            "raw control character in a string",
            valid().replace("Hostile", "Host\u0001ile"),
            "malformed JSON"),
        signUpCase(
            "duplicated key",
            valid().replace("{", "{\"email\":\"other-%s\","),
            "duplicate property email"),
        signUpCase("email is a number", valid().replace("\"%s\"", "42"), "email must be a string"),
        signUpCase("email is null", valid().replace("\"%s\"", "null"), "email must be a string"),
        signUpCase(
            "password is an array",
            valid().replace("\"correct horse battery staple\"", "[\"x\"]"),
            "password must be a string"),
        signUpCase(
            "display_name is an object",
            valid().replace("\"Hostile\"", "{\"a\":1}"),
            "display_name must be a string"),
        signUpCase("country is a boolean", valid().replace("\"SE\"", "true"), null),
        signUpCase(
            "country is lower case",
            valid().replace("\"SE\"", "\"se\""),
            "country must match ^[A-Z]{2}$"),
        signUpCase(
            "password too short",
            valid().replace("correct horse battery staple", "short"),
            "password must be at least 8 characters"),
        signUpCase(
            "display_name blank",
            valid().replace("\"Hostile\"", "\"   \""),
            "display_name must be 1 to 64 characters"),
        signUpCase(
            "display_name too long",
            valid().replace("Hostile", "x".repeat(65)),
            "display_name must be at most 64 characters"),
        signUpCase(
            "email too long",
            valid().replace("\"%s\"", "\"" + "a".repeat(250) + "@example.com\""),
            "email must be at most 254 characters"),
        signUpCase("missing email", valid().replace("\"email\":\"%s\",", ""), "email is required"),
        signUpCase(
            "missing password",
            valid().replace("\"password\":\"correct horse battery staple\",", ""),
            "password is required"),
        signUpCase(
            "missing display_name",
            valid().replace("\"display_name\":\"Hostile\",", ""),
            "display_name is required"),
        signUpCase(
            "missing country", valid().replace(",\"country\":\"SE\"", ""), "country is required"),
        signUpCase("empty object", "{}", "email is required"),
        signUpCase(
            "unexpected property",
            valid().replace("{", "{\"product\":\"premium\","),
            "unexpected property product"));
  }

  private static String valid() {
    return "{\"email\":\"%s\",\"password\":\"correct horse battery staple\","
        + "\"display_name\":\"Hostile\",\"country\":\"SE\"}";
  }

  private static Arguments signUpCase(String name, String template, String message) {
    return arguments(Named.of(name, template), message);
  }

  @ParameterizedTest(name = "sign-up, {0}")
  @MethodSource("malformedSignUps")
  void malformedSignUpIsRefusedAndCreatesNoUser(String template, String message) {
    String email = freshEmail();
    String body = template.replace("%s", email);
    Response response = postJson("/api/signup", body.getBytes(UTF_8), null);
    String error = assertError(response, 400);
    if (message != null) {
      assertThat(error).isIn("Invalid request body: " + message);
    } else {
      assertThat(error).startsWith("Invalid request body: ");
    }
    assertNoUser(email);
    assertNoUser("other-" + email);
  }

  static Stream<Arguments> wrongContentTypes() {
    return Stream.of(
        arguments(Named.of("text/plain", "text/plain")),
        arguments(Named.of("form", "application/x-www-form-urlencoded")),
        arguments(Named.of("multipart", "multipart/form-data; boundary=x")),
        arguments(Named.of("application/jsonx", "application/jsonx")),
        arguments(Named.of("application/xml", "application/xml")),
        arguments(Named.of("no Content-Type", null)));
  }

  @ParameterizedTest(name = "sign-up with Content-Type {0}")
  @MethodSource("wrongContentTypes")
  void signUpWithWrongContentTypeIsRefused(String contentType) {
    String email = freshEmail();
    byte[] body = valid().replace("%s", email).getBytes(UTF_8);
    Response response = send("POST", "/api/signup", contentType, body);
    assertThat(assertError(response, 400))
        .isEqualTo("Invalid request body: Content-Type must be application/json");
    assertNoUser(email);
  }

  @Test
  void signUpWithEmptyBodyIsRefused() {
    Response response = postJson("/api/signup", new byte[0], null);
    assertThat(assertError(response, 400))
        .isEqualTo("Missing request body: a JSON object is required");
  }

  static Stream<Arguments> malformedLogIns() {
    return Stream.of(
        arguments(Named.of("email is a number", "{\"email\":1,\"password\":\"x\"}"), 400),
        arguments(Named.of("password missing", "{\"email\":\"a@example.com\"}"), 400),
        arguments(
            Named.of(
                "scope is a number",
                "{\"email\":\"a@example.com\",\"password\":\"x\",\"scope\":7}"),
            400),
        arguments(
            Named.of(
                "client_id too long",
                "{\"email\":\"a@example.com\",\"password\":\"x\",\"client_id\":\""
                    + "c".repeat(65)
                    + "\"}"),
            400),
        arguments(Named.of("truncated", "{\"email\":\"a@example.com\",\"pass"), 400),
        arguments(Named.of("array", "[\"a@example.com\",\"x\"]"), 400),
        arguments(Named.of("empty email", "{\"email\":\"\",\"password\":\"x\"}"), 400),
        arguments(
            Named.of(
                "lone surrogate in email",
                "{\"email\":\"a\\ud800@example.com\",\"password\":\"x\"}"),
            400),
        arguments(
            Named.of(
                "duplicated email",
                "{\"email\":\"a@example.com\",\"email\":\"b@example.com\",\"password\":\"x\"}"),
            400));
  }

  @ParameterizedTest(name = "login, {0}")
  @MethodSource("malformedLogIns")
  void malformedLogInIsRefused(String body, int status) {
    Response response = postJson("/api/login", body.getBytes(UTF_8), null);
    assertThat(assertError(response, status)).startsWith("Invalid request body: ");
    assertThat(response.body()).doesNotContain("access_token");
  }

  @Test
  void logInWithFormBodyIsRefused() {
    Response response =
        send(
            "POST",
            "/api/login",
            "application/x-www-form-urlencoded",
            ("email=" + enc(alice.email()) + "&password=" + enc(alice.password())).getBytes(UTF_8));
    assertThat(assertError(response, 400))
        .isEqualTo("Invalid request body: Content-Type must be application/json");
  }

  static Stream<Arguments> malformedClientRegistrations() {
    return Stream.of(
        arguments(
            Named.of(
                "confidential is a string",
                "{\"name\":\"x\",\"redirect_uris\":[],\"confidential\":\"true\"}"),
            "confidential must be a boolean"),
        arguments(
            Named.of(
                "redirect_uris is a string",
                "{\"name\":\"x\",\"redirect_uris\":\"https://a.example/cb\",\"confidential\":false}"),
            "redirect_uris must be an array"),
        arguments(
            Named.of(
                "redirect URI is a number",
                "{\"name\":\"x\",\"redirect_uris\":[1],\"confidential\":false}"),
            "redirect_uris[0] must be a string"),
        arguments(
            Named.of(
                "javascript: redirect URI",
                "{\"name\":\"x\",\"redirect_uris\":[\"javascript:alert(1)\"],\"confidential\":false}"),
            null),
        arguments(
            Named.of(
                "redirect URI with a fragment",
                "{\"name\":\"x\",\"redirect_uris\":[\"https://a.example/cb#frag\"],"
                    + "\"confidential\":false}"),
            null),
        arguments(
            Named.of(
                "eleven redirect URIs",
                "{\"name\":\"x\",\"redirect_uris\":" + uris(11) + ",\"confidential\":false}"),
            "redirect_uris must have at most 10 items"),
        arguments(
            Named.of(
                "duplicated redirect URIs",
                "{\"name\":\"x\",\"redirect_uris\":[\"https://a.example/cb\","
                    + "\"https://a.example/cb\"],\"confidential\":false}"),
            "redirect_uris must not contain duplicates"),
        arguments(
            Named.of(
                "blank name", "{\"name\":\"   \",\"redirect_uris\":[],\"confidential\":false}"),
            "name must not be empty"),
        arguments(
            Named.of("missing confidential", "{\"name\":\"x\",\"redirect_uris\":[]}"),
            "confidential is required"),
        arguments(
            Named.of(
                "duplicated confidential key",
                "{\"name\":\"x\",\"redirect_uris\":[],\"confidential\":false,"
                    + "\"confidential\":true}"),
            "duplicate property confidential"),
        arguments(
            Named.of(
                "lone surrogate in name",
                "{\"name\":\"x\\udfff\",\"redirect_uris\":[],\"confidential\":false}"),
            "name is not valid Unicode text"),
        arguments(
            Named.of(
                "lone surrogate in a redirect URI",
                "{\"name\":\"x\",\"redirect_uris\":[\"https://a.example/\\ud800\"],"
                    + "\"confidential\":false}"),
            "redirect_uris is not valid Unicode text"));
  }

  private static String uris(int count) {
    JsonArray array = new JsonArray();
    for (int i = 0; i < count; i++) {
      array.add("https://a.example/cb" + i);
    }
    return array.encode();
  }

  @ParameterizedTest(name = "register client, {0}")
  @MethodSource("malformedClientRegistrations")
  void malformedClientRegistrationIsRefused(String body, String message) {
    Response response = adminJson("POST", "/admin/v1/clients", body);
    String error = assertError(response, 400);
    if (message != null) {
      assertThat(error).isEqualTo("Invalid request body: " + message);
    } else {
      assertThat(error).startsWith("Invalid request body: ");
    }
    assertThat(response.body()).doesNotContain("client_id");
  }

  static Stream<Arguments> malformedProducts() {
    return Stream.of(
        arguments(
            Named.of("unknown product", "{\"product\":\"gold\"}"),
            "product must be one of free, premium"),
        arguments(Named.of("product is a number", "{\"product\":1}"), "product must be a string"),
        arguments(
            Named.of(
                "expires_at is not a date",
                "{\"product\":\"premium\",\"expires_at\":\"tomorrow\"}"),
            "expires_at must be an RFC 3339 date-time"),
        arguments(Named.of("missing product", "{}"), "product is required"),
        arguments(
            Named.of("unexpected property", "{\"product\":\"premium\",\"user_id\":\"x\"}"),
            "unexpected property user_id"),
        arguments(
            Named.of("duplicated product", "{\"product\":\"free\",\"product\":\"premium\"}"),
            "duplicate property product"),
        arguments(Named.of("top-level array", "[\"premium\"]"), "expected a JSON object"),
        arguments(Named.of("truncated", "{\"product\":\"prem"), "malformed JSON"));
  }

  @ParameterizedTest(name = "set product, {0}")
  @MethodSource("malformedProducts")
  void malformedProductChangeIsRefusedAndChangesNothing(String body, String message) {
    Response response = adminJson("PUT", "/admin/v1/users/" + alice.id() + "/product", body);
    assertThat(assertError(response, 400)).isEqualTo("Invalid request body: " + message);
    assertProduct(alice, aliceTokens, "free");
  }

  static Stream<Arguments> malformedApprovals() {
    return Stream.of(
        arguments(Named.of("user_code is a number", "{\"user_code\":12345678,\"approve\":true}")),
        arguments(
            Named.of("approve is a string", "{\"user_code\":\"BCDF-GHJK\",\"approve\":\"yes\"}")),
        arguments(Named.of("approve missing", "{\"user_code\":\"BCDF-GHJK\"}")),
        arguments(
            Named.of("user_code too long", "{\"user_code\":\"BCDF-GHJK-LMNP\",\"approve\":true}")),
        arguments(Named.of("null body", "null")),
        arguments(
            Named.of("NUL in user_code", "{\"user_code\":\"BCDF\\u0000GHJK\",\"approve\":true}")));
  }

  @ParameterizedTest(name = "approve device, {0}")
  @MethodSource("malformedApprovals")
  void malformedDeviceApprovalIsRefused(String body) {
    Response response =
        postJson("/api/device/approve", body.getBytes(UTF_8), aliceTokens.accessToken());
    assertThat(assertError(response, 400)).startsWith("Invalid request body: ");
  }

  static Stream<Arguments> malformedLogOuts() {
    return Stream.of(
        arguments(Named.of("refresh_token missing", "{}")),
        arguments(Named.of("refresh_token is a number", "{\"refresh_token\":5}")),
        arguments(
            Named.of("refresh_token too long", "{\"refresh_token\":\"" + "r".repeat(600) + "\"}")),
        arguments(Named.of("top-level string", "\"token\"")));
  }

  @ParameterizedTest(name = "logout, {0}")
  @MethodSource("malformedLogOuts")
  void malformedLogOutIsRefused(String body) {
    Response response = postJson("/api/logout", body.getBytes(UTF_8), null);
    assertThat(assertError(response, 400)).startsWith("Invalid request body: ");
  }

  // ---------------------------------------------------------------------------------------------
  // Malformed form bodies at the OAuth endpoints: RFC 6749 errors, never a 5xx.
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> malformedTokenRequests() {
    return Stream.of(
        tokenCase(
            "JSON body",
            "application/json",
            "{\"grant_type\":\"client_credentials\"}",
            400,
            "invalid_request"),
        tokenCase(
            "text/plain body",
            "text/plain",
            "grant_type=client_credentials",
            400,
            "invalid_request"),
        tokenCase("no Content-Type", null, "grant_type=client_credentials", 400, "invalid_request"),
        tokenCase("empty form", FORM, "", 400, "invalid_request"),
        tokenCase(
            "unknown grant type",
            FORM,
            "grant_type=password&client_id=cadenza",
            400,
            "unsupported_grant_type"),
        tokenCase(
            "repeated grant_type",
            FORM,
            "grant_type=refresh_token&grant_type=client_credentials&client_id=cadenza",
            400,
            "invalid_request"),
        tokenCase(
            "no client", FORM, "grant_type=refresh_token&refresh_token=x", 401, "invalid_client"),
        tokenCase(
            "refresh_token missing",
            FORM,
            "grant_type=refresh_token&client_id=cadenza",
            400,
            "invalid_request"),
        tokenCase(
            "refresh_token too long",
            FORM,
            "grant_type=refresh_token&client_id=cadenza&refresh_token=" + "r".repeat(3000),
            400,
            "invalid_request"),
        tokenCase(
            "malformed percent-encoding",
            FORM,
            "grant_type=refresh_token&client_id=cadenza&refresh_token=%ZZ",
            400,
            null),
        tokenCase(
            "truncated percent-encoding",
            FORM,
            "grant_type=refresh_token&client_id=cadenza&refresh_token=abc%",
            400,
            null),
        tokenCase(
            "invalid UTF-8 percent-encoded",
            FORM,
            "grant_type=refresh_token&client_id=cadenza&refresh_token=%FF%FE",
            400,
            "invalid_grant"),
        tokenCase(
            "overlong UTF-8 percent-encoded",
            FORM,
            "grant_type=refresh_token&client_id=cadenza&refresh_token=%C0%AF",
            400,
            "invalid_grant"),
        tokenCase(
            "NUL percent-encoded",
            FORM,
            "grant_type=refresh_token&client_id=cadenza&refresh_token=%00",
            400,
            "invalid_grant"),
        tokenCase(
            "unknown client",
            FORM,
            "grant_type=refresh_token&client_id=nobody&refresh_token=x",
            401,
            "invalid_client"),
        tokenCase(
            "client id with CQL injection",
            FORM,
            "grant_type=client_credentials&client_id=" + enc("cadenza' OR '1'='1"),
            401,
            "invalid_client"),
        tokenCase(
            "refresh token with CQL injection",
            FORM,
            "grant_type=refresh_token&client_id=cadenza&refresh_token=" + enc("' OR '1'='1"),
            400,
            "invalid_grant"),
        tokenCase(
            "public client asks client credentials",
            FORM,
            "grant_type=client_credentials&client_id=cadenza",
            400,
            "unauthorized_client"),
        tokenCase(
            "public client sends a secret",
            FORM,
            "grant_type=refresh_token&client_id=cadenza&client_secret=guess&refresh_token=x",
            401,
            "invalid_client"),
        tokenCase(
            "code missing",
            FORM,
            "grant_type=authorization_code&client_id=cadenza&redirect_uri=https%3A%2F%2Fa",
            400,
            "invalid_request"),
        tokenCase(
            "device code unknown",
            FORM,
            "grant_type=" + enc(DEVICE_GRANT) + "&client_id=cadenza&device_code=nope",
            400,
            "expired_token"));
  }

  private static final String FORM = "application/x-www-form-urlencoded";

  private static Arguments tokenCase(
      String name, String type, String body, int status, String error) {
    return arguments(Named.of(name, body), type, status, error);
  }

  @ParameterizedTest(name = "token endpoint, {0}")
  @MethodSource("malformedTokenRequests")
  void malformedTokenRequestIsRefused(String body, String type, int status, String error) {
    Response response = send("POST", "/api/token", type, body.getBytes(UTF_8));
    assertOAuthError(response, status, error);
  }

  static Stream<Arguments> malformedBasicCredentials() {
    return Stream.of(
        arguments(Named.of("not base64", "Basic !!!!")),
        arguments(Named.of("no colon", "Basic " + b64std("cadenza"))),
        arguments(Named.of("empty id", "Basic " + b64std(":secret"))),
        arguments(Named.of("malformed percent-encoding in the id", "Basic " + b64std("%ZZ:x"))),
        arguments(Named.of("wrong secret", "Basic " + b64std(confidentialClient + ":wrong"))),
        arguments(Named.of("empty", "Basic ")));
  }

  @ParameterizedTest(name = "token endpoint, Basic credentials {0}")
  @MethodSource("malformedBasicCredentials")
  void malformedBasicCredentialsAreRefused(String authorization) {
    Response response =
        send(
            "POST",
            "/api/token",
            FORM,
            "grant_type=client_credentials".getBytes(UTF_8),
            "Authorization",
            authorization);
    assertOAuthError(response, 401, "invalid_client");
  }

  @Test
  void basicCredentialsAndSecretInTheBodyTogetherAreRefused() {
    Response response =
        send(
            "POST",
            "/api/token",
            FORM,
            ("grant_type=client_credentials&client_secret=" + enc(confidentialSecret))
                .getBytes(UTF_8),
            "Authorization",
            "Basic " + b64std(confidentialClient + ":" + confidentialSecret));
    assertOAuthError(response, 400, "invalid_request");
  }

  static Stream<Arguments> malformedDeviceCodeRequests() {
    return Stream.of(
        arguments(
            Named.of("JSON body", "{\"client_id\":\"cadenza\"}"),
            "application/json",
            400,
            "invalid_request"),
        arguments(
            Named.of("unknown scope", "client_id=cadenza&scope=admin"), FORM, 400, "invalid_scope"),
        arguments(Named.of("no client", "scope=user-read-email"), FORM, 401, "invalid_client"),
        arguments(
            Named.of("repeated client_id", "client_id=cadenza&client_id=x"),
            FORM,
            400,
            "invalid_request"));
  }

  @ParameterizedTest(name = "device code, {0}")
  @MethodSource("malformedDeviceCodeRequests")
  void malformedDeviceCodeRequestIsRefused(String body, String type, int status, String error) {
    Response response = send("POST", "/api/device/code", type, body.getBytes(UTF_8));
    assertOAuthError(response, status, error);
  }

  // ---------------------------------------------------------------------------------------------
  // Oversized bodies, headers and URIs (over a raw socket where the JDK client refuses).
  // ---------------------------------------------------------------------------------------------

  @Test
  void oversizedJsonBodyIs413AndCreatesNoUser() {
    String email = freshEmail();
    String padding = "x".repeat(BODY_LIMIT);
    byte[] body = valid().replace("%s", email).replace("Hostile", padding).getBytes(UTF_8);
    Raw response = raw(request("POST", "/api/signup", "application/json", body));
    assertRawError(response, 413, "Request entity too large");
    assertNoUser(email);
  }

  @Test
  void oversizedChunkedJsonBodyIs413() {
    String email = freshEmail();
    byte[] body =
        valid()
            .replace("%s", email)
            .replace("Hostile", "y".repeat(BODY_LIMIT + 10))
            .getBytes(UTF_8);
    ByteArrayOutputStream chunked = new ByteArrayOutputStream();
    write(
        chunked,
        "POST /api/signup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    for (int offset = 0; offset < body.length; offset += 8192) {
      int length = Math.min(8192, body.length - offset);
      write(chunked, Integer.toHexString(length) + "\r\n");
      chunked.write(body, offset, length);
      write(chunked, "\r\n");
    }
    write(chunked, "0\r\n\r\n");
    Raw response = raw(chunked.toByteArray());
    assertRawError(response, 413, "Request entity too large");
    assertNoUser(email);
  }

  @Test
  void oversizedFormBodyIs413() {
    byte[] body =
        ("grant_type=refresh_token&client_id=cadenza&refresh_token=" + "r".repeat(BODY_LIMIT))
            .getBytes(UTF_8);
    Raw response = raw(request("POST", "/api/token", FORM, body));
    assertThat(response.status()).as(response.text()).isEqualTo(413);
    assertThat(response.text()).doesNotContain("access_token");
  }

  @Test
  void oversizedAdminBodyIs413AndChangesNothing() {
    byte[] body =
        new JsonObject()
            .put("product", "premium")
            .put("expires_at", "x".repeat(BODY_LIMIT))
            .encode()
            .getBytes(UTF_8);
    Raw response =
        raw(
            request(
                "PUT",
                "/admin/v1/users/" + alice.id() + "/product",
                "application/json",
                body,
                "Authorization: Bearer " + TestNodes.ADMIN_TOKEN));
    assertRawError(response, 413, "Request entity too large");
    assertProduct(alice, aliceTokens, "free");
  }

  @Test
  void oversizedHeaderIs431() {
    Raw response = raw(request("GET", "/health", null, null, "X-Padding: " + "h".repeat(20_000)));
    assertRawError(response, 431, "Request header fields too large");
  }

  @Test
  void tooManyHeadersAre431() {
    List<String> headers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      headers.add("X-Header-" + i + ": value-" + i);
    }
    Raw response = raw(request("GET", "/health", null, null, headers.toArray(String[]::new)));
    assertRawError(response, 431, "Request header fields too large");
  }

  @Test
  void oversizedBearerHeaderIs431() {
    Raw response =
        raw(request("GET", "/v1/me", null, null, "Authorization: Bearer " + "t".repeat(17_000)));
    assertRawError(response, 431, "Request header fields too large");
  }

  @Test
  void overlongPathIs414() {
    Raw response = raw(request("GET", "/v1/users/" + "a".repeat(9000), null, null));
    assertRawError(response, 414, "Request URI too long");
  }

  @Test
  void overlongQueryIs414() {
    Raw response = raw(request("GET", "/authorize?client_id=" + "c".repeat(9000), null, null));
    assertRawError(response, 414, "Request URI too long");
  }

  @Test
  void longFieldUnderTheBodyLimitIsA400() {
    String email = freshEmail();
    byte[] body =
        valid().replace("%s", email).replace("Hostile", "z".repeat(60_000)).getBytes(UTF_8);
    Response response = postJson("/api/signup", body, null);
    assertThat(assertError(response, 400))
        .isEqualTo("Invalid request body: display_name must be at most 64 characters");
    assertNoUser(email);
  }

  // ---------------------------------------------------------------------------------------------
  // Broken HTTP framing (raw socket): the server's codec answers 400.
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> brokenFraming() {
    return Stream.of(
        arguments(
            Named.of(
                "non-numeric Content-Length",
                "POST /api/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: abc\r\nConnection: close\r\n\r\n{}")),
        arguments(
            Named.of(
                "negative Content-Length",
                "POST /api/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: -5\r\nConnection: close\r\n\r\n{}")),
        arguments(
            Named.of(
                "conflicting Content-Lengths",
                "POST /api/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}")),
        arguments(Named.of("garbage request line", "HELLO\r\n\r\n")),
        arguments(
            Named.of(
                "header line without a colon",
                "GET /health HTTP/1.1\r\nHost: x\r\nthis is not a header\r\nConnection: close\r\n\r\n")),
        arguments(
            Named.of(
                "space before the header colon",
                "GET /health HTTP/1.1\r\nHost : x\r\nConnection: close\r\n\r\n")));
  }

  @ParameterizedTest(name = "framing, {0}")
  @MethodSource("brokenFraming")
  void brokenFramingIsA400(String request) {
    Raw response = raw(request.getBytes(ISO_8859_1));
    assertThat(response.status()).as(response.text()).isEqualTo(400);
  }

  @Test
  void wrongMethodIs405() {
    Response response =
        send(
            "DELETE", "/v1/me", null, null, "Authorization", "Bearer " + aliceTokens.accessToken());
    assertThat(assertError(response, 405)).isEqualTo("Method not allowed");
    Response signUp = send("PATCH", "/api/signup", "application/json", "{}".getBytes(UTF_8));
    assertThat(assertError(signUp, 405)).isEqualTo("Method not allowed");
  }

  @Test
  void pathTraversalToAdminStillNeedsTheAdminToken() {
    Raw response =
        raw(
            request(
                "POST",
                "/v1/../admin/v1/clients",
                "application/json",
                "{\"name\":\"x\",\"redirect_uris\":[],\"confidential\":false}".getBytes(UTF_8),
                "Authorization: Bearer " + aliceTokens.accessToken()));
    assertRawError(response, 401, "Invalid admin token");
  }

  // ---------------------------------------------------------------------------------------------
  // Invalid UTF-8 and NUL bytes in bodies, query strings, paths and headers.
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> badBytesInSignUps() {
    return Stream.of(
        arguments(Named.of("0xFF in password", new byte[] {(byte) 0xFF}), "malformed UTF-8"),
        arguments(
            Named.of("overlong slash C0 AF", new byte[] {(byte) 0xC0, (byte) 0xAF}),
            "malformed UTF-8"),
        arguments(
            Named.of("overlong NUL C0 80", new byte[] {(byte) 0xC0, (byte) 0x80}),
            "malformed UTF-8"),
        arguments(
            Named.of(
                "encoded surrogate ED A0 80", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
            "malformed UTF-8"),
        arguments(
            Named.of("truncated sequence E2 82", new byte[] {(byte) 0xE2, (byte) 0x82}),
            "malformed UTF-8"),
        arguments(Named.of("raw NUL byte", new byte[] {0}), "malformed JSON"));
  }

  @ParameterizedTest(name = "sign-up body with {0}")
  @MethodSource("badBytesInSignUps")
  void badBytesInTheBodyAreRefused(byte[] bad, String message) {
    String email = freshEmail();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(body, "{\"email\":\"" + email + "\",\"password\":\"correct horse ");
    body.writeBytes(bad);
    write(body, " battery\",\"display_name\":\"Hostile\",\"country\":\"SE\"}");
    Response response = postJson("/api/signup", body.toByteArray(), null);
    assertThat(assertError(response, 400)).isEqualTo("Invalid request body: " + message);
    assertNoUser(email);
  }

  static Stream<Arguments> badEscapesInSignUps() {
    return Stream.of(
        arguments(Named.of("NUL in display_name", "display_name"), "Ho\\u0000stile"),
        arguments(Named.of("escape character in display_name", "display_name"), "\\u001b[31mred"),
        arguments(Named.of("newline in display_name", "display_name"), "line\\nbreak"),
        arguments(Named.of("lone high surrogate in display_name", "display_name"), "a\\ud800b"),
        arguments(Named.of("lone low surrogate in display_name", "display_name"), "a\\udc00b"),
        arguments(Named.of("NUL in email", "email"), "nul\\u0000%s"),
        arguments(Named.of("lone surrogate in email", "email"), "x\\ud83d%s"),
        arguments(
            Named.of("lone surrogate in password", "password"), "correct horse \\udfff staple"));
  }

  @ParameterizedTest(name = "sign-up with {0}")
  @MethodSource("badEscapesInSignUps")
  void badCharactersInFieldsAreRefused(String field, String escaped) {
    String email = freshEmail();
    JsonObject fields =
        new JsonObject()
            .put("email", email)
            .put("password", "correct horse battery staple")
            .put("display_name", "Hostile")
            .put("country", "SE");
    StringBuilder body = new StringBuilder("{");
    for (String name : fields.fieldNames()) {
      String value =
          name.equals(field)
              ? escaped.replace("%s", email)
              : fields.getString(name).replace("\"", "\\\"");
      body.append(body.length() == 1 ? "" : ",")
          .append('"')
          .append(name)
          .append("\":\"")
          .append(value)
          .append('"');
    }
    body.append('}');
    Response response = postJson("/api/signup", body.toString().getBytes(UTF_8), null);
    assertThat(assertError(response, 400)).startsWith("Invalid request body: ").contains(field);
    assertNoUser(email);
  }

  static Stream<Arguments> badPaths() {
    return Stream.of(
        arguments(Named.of("%FF", "/v1/users/%FF%FF")),
        arguments(Named.of("overlong slash %C0%AF", "/v1/users/..%C0%AF..%C0%AFadmin")),
        arguments(Named.of("%00", "/v1/users/4Uv9Tq0Zb6mX2kR8pLw3N%00")),
        arguments(Named.of("encoded surrogate %ED%A0%80", "/v1/users/%ED%A0%80")),
        arguments(Named.of("malformed percent-encoding", "/v1/users/%ZZ")),
        arguments(Named.of("truncated percent-encoding", "/v1/users/abc%")),
        arguments(Named.of("encoded slashes", "/v1/users/..%2F..%2Fadmin%2Fv1%2Fclients")),
        arguments(Named.of("CQL injection", "/v1/users/x'%20OR%20'1'%3D'1")),
        arguments(
            Named.of("CQL drop keyspace", "/v1/users/'%3B%20DROP%20KEYSPACE%20cadenza%3B%20--")),
        arguments(Named.of("raw 0xFF byte", "/v1/users/\u00ff\u00fe")));
  }

  @ParameterizedTest(name = "user id {0}")
  @MethodSource("badPaths")
  void badUserIdInThePathIsA400(String path) {
    Raw response =
        raw(request("GET", path, null, null, "Authorization: Bearer " + bobTokens.accessToken()));
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.error().getInteger("status")).isEqualTo(400);
    assertThat(response.error().getString("message"))
        .isIn(
            "Invalid user id",
            "Invalid path parameter: user_id is malformed",
            "Invalid request: malformed percent-encoding in the URL");
  }

  @Test
  void nulInAFixedPathIsA404() {
    Raw response =
        raw(
            request(
                "GET",
                "/v1/me%00",
                null,
                null,
                "Authorization: Bearer " + bobTokens.accessToken()));
    assertRawError(response, 404, "Service not found");
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
        arguments(Named.of("%FF client_id", "client_id=%FF%FE&response_type=code")),
        arguments(Named.of("overlong %C0%AF client_id", "client_id=%C0%AF&response_type=code")),
        arguments(Named.of("NUL client_id", "client_id=%00&response_type=code")),
        arguments(Named.of("malformed percent-encoding", "client_id=%ZZ&response_type=code")),
        arguments(Named.of("truncated percent-encoding", "client_id=abc%")),
        arguments(Named.of("CQL injection in client_id", "client_id=x'%20OR%20'1'%3D'1")),
        arguments(Named.of("repeated client_id", "client_id=a&client_id=b")));
  }

  @ParameterizedTest(name = "authorize query {0}")
  @MethodSource("badQueries")
  void badQueryIsA400WithoutRedirect(String query) {
    Raw response = raw(request("GET", "/authorize?" + query, null, null));
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.header("location")).isNull();
  }

  @Test
  void invalidBytesInTheAuthorizationHeaderAre401() {
    byte[] request =
        ("GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u00ff\u00fe\u00c0\u00af\r\n"
                + "Connection: close\r\n\r\n")
            .getBytes(ISO_8859_1);
    Raw response = raw(request);
    assertRawError(response, 401, "Invalid access token");
  }

  @Test
  void invalidUtf8InAFormBodyIsRefused() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(body, "grant_type=refresh_token&client_id=cadenza&refresh_token=");
    body.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC0, (byte) 0xAF, 0});
    Response response = send("POST", "/api/token", FORM, body.toByteArray());
    assertOAuthError(response, 400, "invalid_grant");
  }

  // ---------------------------------------------------------------------------------------------
  // CQL injection strings: refused where they break a rule, stored literally where they are
  // legitimate text, and the user table is intact afterwards.
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> injectedEmails() {
    return Stream.of(
        arguments(Named.of("OR 1=1", "x' OR '1'='1")),
        arguments(Named.of("drop keyspace", "'; DROP KEYSPACE cadenza; --@example.com")),
        arguments(Named.of("batch", "a@example.com'); APPLY BATCH; --")),
        arguments(Named.of("comment", "a@example.com'--")));
  }

  @ParameterizedTest(name = "sign-up email {0}")
  @MethodSource("injectedEmails")
  void injectedEmailIsRefused(String email) {
    Response response =
        postJson(
            "/api/signup",
            new JsonObject()
                .put("email", email)
                .put("password", "correct horse battery staple")
                .put("display_name", "Hostile")
                .put("country", "SE")
                .encode()
                .getBytes(UTF_8),
            null);
    assertThat(assertError(response, 400))
        .isEqualTo("Invalid request body: email must be an email address");
    assertNoUser(email);
  }

  static Stream<Arguments> injectedLogIns() {
    return Stream.of(
        arguments(Named.of("email OR 1=1", "' OR '1'='1"), "x"),
        arguments(Named.of("email OR 1=1 with a comment", "' OR 1=1 --"), "' OR 1=1 --"),
        arguments(Named.of("email drop keyspace", "'; DROP KEYSPACE cadenza; --"), "x"),
        arguments(Named.of("real email with a suffix", "%alice%' OR '1'='1"), "x"),
        arguments(Named.of("real email, password OR 1=1", "%alice%"), "' OR '1'='1"),
        arguments(Named.of("real email, password with NUL", "%alice%"), "correct horse\u0000"));
  }

  @ParameterizedTest(name = "login {0}")
  @MethodSource("injectedLogIns")
  void injectedLogInIsRefused(String email, String password) {
    Response response =
        postJson(
            "/api/login",
            new JsonObject()
                .put("email", email.replace("%alice%", alice.email()))
                .put("password", password)
                .encode()
                .getBytes(UTF_8),
            null);
    assertThat(assertError(response, 401)).isEqualTo("Invalid email or password");
  }

  static Stream<Arguments> injectedDisplayNames() {
    return Stream.of(
        arguments(Named.of("drop keyspace", "Robert'); DROP KEYSPACE cadenza;--")),
        arguments(Named.of("OR 1=1", "' OR '1'='1")),
        arguments(Named.of("update", "x'; UPDATE users SET product='premium' WHERE id='x")),
        arguments(Named.of("markup", "<script>alert(1)</script>")));
  }

  /**
   * A display name is free text: injection strings are legitimate names and must be stored and
   * returned literally (the statements are prepared), never interpreted.
   */
  @ParameterizedTest(name = "display_name {0} is stored literally")
  @MethodSource("injectedDisplayNames")
  void injectedDisplayNameIsStoredLiterally(String displayName) {
    String email = freshEmail();
    Response response =
        postJson(
            "/api/signup",
            new JsonObject()
                .put("email", email)
                .put("password", "correct horse battery staple")
                .put("display_name", displayName)
                .put("country", "SE")
                .encode()
                .getBytes(UTF_8),
            null);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    String id = response.json().getString("id");
    assertThat(response.json().getString("product")).isEqualTo("free");
    Response read = get("/v1/users/" + id, bobTokens.accessToken());
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().getString("display_name")).isEqualTo(displayName);
    assertUsersIntact();
  }

  @Test
  void injectionIntoTheAdminPathIsRefusedAndChangesNothing() {
    Raw response =
        raw(
            request(
                "PUT",
                "/admin/v1/users/x'%20OR%20'1'%3D'1/product",
                "application/json",
                "{\"product\":\"premium\"}".getBytes(UTF_8),
                "Authorization: Bearer " + TestNodes.ADMIN_TOKEN));
    assertRawError(response, 400, "Invalid user id");
    assertProduct(alice, aliceTokens, "free");
    assertProduct(bob, bobTokens, "free");
  }

  @Test
  void injectionIntoTheDevicePageIsRefused() {
    Response response =
        send(
            "POST",
            "/device",
            FORM,
            ("user_code="
                    + enc("' OR '1'='1")
                    + "&email="
                    + enc(alice.email())
                    + "&password="
                    + enc(alice.password())
                    + "&decision=approve")
                .getBytes(UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("That code is unknown or has expired");
  }

  // ---------------------------------------------------------------------------------------------
  // Forged and malformed bearer tokens on GET /v1/me.
  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void mintedTokenForARealUserIsAccepted() {
    // The positive control: what the forged tokens below break is the only thing wrong with them.
    Response response = get("/v1/me", mint(header(), claims(alice.id()), key()));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().getString("id")).isEqualTo(alice.id());
    assertThat(response.json().getString("email")).isEqualTo(alice.email());
  }

  static Stream<Arguments> forgedTokens() {
    return Stream.of(
        forged(
            "alg none without a signature",
            () -> unsigned(header().put("alg", "none"), claims(alice.id())) + "."),
        forged(
            "alg none, two segments",
            () -> unsigned(header().put("alg", "none"), claims(alice.id()))),
        forged(
            "alg none with a valid signature",
            () -> mint(header().put("alg", "none"), claims(alice.id()), key())),
        forged(
            "alg NONE",
            () -> unsigned(header().put("alg", "NONE").putNull("kid"), claims(alice.id())) + "."),
        forged("HS256 with a random key", () -> mint(header(), claims(alice.id()), randomKey())),
        forged(
            "HS256 with a key of ones",
            () -> mint(header(), claims(alice.id()), filled(32, (byte) 1))),
        forged(
            "no kid, wrong key",
            () -> mint(header().putNull("kid"), claims(alice.id()), filled(32, (byte) 7))),
        forged("unknown kid", () -> mint(header().put("kid", "test2"), claims(alice.id()), key())),
        forged(
            "kid path traversal",
            () -> mint(header().put("kid", "../../../dev/null"), claims(alice.id()), key())),
        forged(
            "RS256 header on a HS256 body",
            () -> mint(header().put("alg", "RS256"), claims(alice.id()), key())),
        forged(
            "ES256 header on a HS256 body",
            () -> mint(header().put("alg", "ES256"), claims(alice.id()), key())),
        forged("HS512 with the right key", () -> mintHs512(claims(alice.id()))),
        forged("alg missing", () -> mint(header().putNull("alg"), claims(alice.id()), key())),
        forged(
            "expired",
            () ->
                mint(
                    header(),
                    claims(alice.id()).put("exp", now() - 3600).put("iat", now() - 7200),
                    key())),
        forged(
            "nbf in the future",
            () -> mint(header(), claims(alice.id()).put("nbf", now() + 3600), key())),
        forged(
            "iat in the future",
            () ->
                mint(
                    header(),
                    claims(alice.id()).put("iat", now() + 3600).put("exp", now() + 7200),
                    key())),
        forged("wrong iss", () -> mint(header(), claims(alice.id()).put("iss", "evil"), key())),
        forged("no iss", () -> mint(header(), without(claims(alice.id()), "iss"), key())),
        forged("iss is a number", () -> mint(header(), claims(alice.id()).put("iss", 7), key())),
        forged("no exp", () -> mint(header(), without(claims(alice.id()), "exp"), key())),
        forged(
            "exp is a string", () -> mint(header(), claims(alice.id()).put("exp", "never"), key())),
        forged("no jti", () -> mint(header(), without(claims(alice.id()), "jti"), key())),
        forged("no cid", () -> mint(header(), without(claims(alice.id()), "cid"), key())),
        forged(
            "scope is an array",
            () ->
                mint(
                    header(),
                    claims(alice.id()).put("scope", new JsonArray().add("user-read-email")),
                    key())),
        forged("sub of no user", () -> mint(header(), claims("0000000000000000000000"), key())),
        forged("garbled base64 header", () -> "@@@." + validPart(1) + "." + validPart(2)),
        forged("garbled base64 payload", () -> validPart(0) + ".!!!." + validPart(2)),
        forged("garbled base64 signature", () -> validPart(0) + "." + validPart(1) + ".%%%"),
        forged(
            "header is not JSON", () -> b64("not json") + "." + validPart(1) + "." + validPart(2)),
        forged(
            "header is a JSON array", () -> b64("[1,2]") + "." + validPart(1) + "." + validPart(2)),
        forged(
            "header nested 2000 deep",
            () -> b64("[".repeat(2000)) + "." + validPart(1) + "." + validPart(2)),
        forged(
            "payload is not JSON", () -> signedRaw(b64(header().encode()) + "." + b64("garbage"))),
        forged("extra segment", () -> aliceTokens.accessToken() + ".extra"),
        forged("five segments", () -> aliceTokens.accessToken() + ".a.b"),
        forged("one segment", () -> "justonesegment"),
        forged("empty segments", () -> ".."),
        forged("signature stripped", () -> validPart(0) + "." + validPart(1) + "."),
        forged(
            "signature of another token",
            () -> validPart(0) + "." + validPart(1) + "." + part(bobTokens.accessToken(), 2)),
        forged(
            "payload edited to another user",
            () -> editedPayload(aliceTokens.accessToken(), "sub", bob.id())),
        forged(
            "payload edited to more scope",
            () -> editedPayload(aliceTokens.accessToken(), "scope", ALL_SCOPES + " admin")),
        forged(
            "payload edited to premium",
            () -> editedPayload(aliceTokens.accessToken(), "product", "premium")),
        forged(
            "payload edited to a later exp",
            () -> editedPayload(aliceTokens.accessToken(), "exp", now() + 999_999)),
        forged(
            "whitespace inside the token",
            () -> validPart(0) + ". " + validPart(1) + "." + validPart(2)));
  }

  private static Arguments forged(String name, Supplier<String> token) {
    return arguments(Named.of(name, token));
  }

  @ParameterizedTest(name = "forged token, {0}")
  @MethodSource("forgedTokens")
  void forgedTokenIs401(Supplier<String> token) {
    Response response = send("GET", "/v1/me", null, null, "Authorization", "Bearer " + token.get());
    assertThat(assertError(response, 401)).isIn("Invalid access token", "The access token expired");
    assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
    assertThat(response.body()).doesNotContain(alice.email()).doesNotContain(bob.email());
  }

  static Stream<Arguments> badAuthorizationHeaders() {
    return Stream.of(
        arguments(Named.of("empty bearer", "Bearer ")),
        arguments(Named.of("bearer with spaces only", "Bearer      ")),
        arguments(Named.of("Basic instead of Bearer", "Basic %token%")),
        arguments(Named.of("Token scheme", "Token %token%")),
        arguments(Named.of("scheme only", "Bearer")),
        arguments(Named.of("no scheme", "%token%")),
        arguments(Named.of("huge token", "Bearer " + "a".repeat(5000))),
        arguments(Named.of("BearerX", "BearerX %token%")));
  }

  @ParameterizedTest(name = "Authorization: {0}")
  @MethodSource("badAuthorizationHeaders")
  void badAuthorizationHeaderIs401(String header) {
    Response response =
        send(
            "GET",
            "/v1/me",
            null,
            null,
            "Authorization",
            header.replace("%token%", aliceTokens.accessToken()));
    assertThat(assertError(response, 401)).isEqualTo("No token provided");
    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void missingAuthorizationIs401() {
    Response response = send("GET", "/v1/me", null, null);
    assertThat(assertError(response, 401)).isEqualTo("No token provided");
  }

  @Test
  void tokenInTheQueryStringIsNotAccepted() {
    Response response = send("GET", "/v1/me?access_token=" + aliceTokens.accessToken(), null, null);
    assertThat(assertError(response, 401)).isEqualTo("No token provided");
  }

  // ---------------------------------------------------------------------------------------------
  // Scope escalation.
  // ---------------------------------------------------------------------------------------------

  @Test
  void narrowEmailScopeHidesPrivateFields() {
    Tokens narrow = api.logIn(alice, "user-read-email");
    Response me = get("/v1/me", narrow.accessToken());
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    assertThat(me.json().getString("email")).isEqualTo(alice.email());
    assertThat(me.json().fieldNames()).doesNotContain("country", "product", "explicit_content");
  }

  @Test
  void narrowPrivateScopeHidesTheEmail() {
    Tokens narrow = api.logIn(alice, "user-read-private");
    Response me = get("/v1/me", narrow.accessToken());
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    assertThat(me.json().fieldNames()).doesNotContain("email").contains("country", "product");
  }

  @Test
  void refreshCannotWidenTheScopeAndTheTokenSurvives() {
    Tokens narrow = api.logIn(alice, "user-read-email");
    Response wider =
        api.postForm(
            "/api/token",
            form(
                "grant_type", "refresh_token",
                "refresh_token", narrow.refreshToken(),
                "client_id", "cadenza",
                "scope", "user-read-email user-read-private"),
            null);
    record(wider, "refresh wider");
    assertOAuthError(wider, 400, "invalid_scope");
    // The refused refresh did not use the token up: it still rotates, with the original scope.
    Tokens next = Api.tokens(refresh(narrow.refreshToken()));
    assertThat(next.scope()).isEqualTo("user-read-email");
  }

  @Test
  void refreshWithAnUnknownScopeIsRefusedAndTheTokenSurvives() {
    Tokens narrow = api.logIn(alice, "user-read-email");
    Response unknown =
        api.postForm(
            "/api/token",
            form(
                "grant_type", "refresh_token",
                "refresh_token", narrow.refreshToken(),
                "client_id", "cadenza",
                "scope", "admin"),
            null);
    record(unknown, "refresh unknown scope");
    assertOAuthError(unknown, 400, "invalid_scope");
    assertThat(refresh(narrow.refreshToken()).status()).isEqualTo(200);
  }

  @Test
  void clientCredentialsTokenCannotUseUserEndpoints() {
    String token = clientCredentialsToken();
    Response me = get("/v1/me", token);
    assertThat(assertError(me, 403)).isEqualTo("This endpoint needs a user's token");
    String userCode = startDevice(publicClient, "user-read-email").getString("user_code");
    Response approve =
        postJson(
            "/api/device/approve",
            new JsonObject()
                .put("user_code", userCode)
                .put("approve", true)
                .encode()
                .getBytes(UTF_8),
            token);
    assertThat(assertError(approve, 403)).isEqualTo("This endpoint needs a user's token");
    Response admin =
        send(
            "PUT",
            "/admin/v1/users/" + alice.id() + "/product",
            "application/json",
            "{\"product\":\"premium\"}".getBytes(UTF_8),
            "Authorization",
            "Bearer " + token);
    assertThat(assertError(admin, 401)).isEqualTo("Invalid admin token");
    assertProduct(alice, aliceTokens, "free");
  }

  @Test
  void logInWithAnUnknownScopeIsRefused() {
    for (String scope :
        List.of("admin", "user-read-email admin", "user-read-email,,*", "USER-READ-EMAIL")) {
      Response response =
          postJson(
              "/api/login",
              new JsonObject()
                  .put("email", alice.email())
                  .put("password", alice.password())
                  .put("scope", scope)
                  .encode()
                  .getBytes(UTF_8),
              null);
      assertThat(assertError(response, 400)).isEqualTo("Invalid request body: unknown scope");
    }
  }

  @Test
  void logInAsAThirdPartyClientIsRefused() {
    Response response =
        postJson(
            "/api/login",
            new JsonObject()
                .put("email", alice.email())
                .put("password", alice.password())
                .put("client_id", publicClient)
                .encode()
                .getBytes(UTF_8),
            null);
    assertThat(assertError(response, 400))
        .isEqualTo("Only Cadenza's own apps sign in with a password; other apps use /authorize");
  }

  @Test
  void authorizeWithAnUnknownScopeRedirectsWithInvalidScope() {
    Response response =
        send(
            "GET",
            "/authorize?"
                + Api.form(
                    form(
                        "client_id", publicClient,
                        "response_type", "code",
                        "redirect_uri", PUBLIC_REDIRECT,
                        "scope", "user-read-email admin",
                        "state", "s1",
                        "code_challenge", challenge(verifier()),
                        "code_challenge_method", "S256")),
            null,
            null);
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("Location"))
        .startsWith(PUBLIC_REDIRECT + "?error=invalid_scope")
        .contains("state=s1")
        .doesNotContain("code=");
  }

  @Test
  void narrowTokenCannotApproveADeviceAskingForMore() {
    Tokens narrow = api.logIn(alice, "user-read-email");
    JsonObject device = startDevice(publicClient, ALL_SCOPES);
    Response approve = approveDevice(narrow.accessToken(), device.getString("user_code"), true);
    assertThat(assertError(approve, 403)).isEqualTo("Insufficient client scope");
    assertOAuthError(
        pollDevice(publicClient, device.getString("device_code")), 400, "authorization_pending");
  }

  @Test
  void thirdPartyTokenCannotApproveADevice() {
    Tokens thirdParty = authorizationCodeTokens(alice, ALL_SCOPES);
    JsonObject device = startDevice(otherClient, "user-read-email");
    Response approve = approveDevice(thirdParty.accessToken(), device.getString("user_code"), true);
    assertThat(assertError(approve, 403)).isEqualTo("Only Cadenza's own apps may approve devices");
    assertOAuthError(
        pollDevice(otherClient, device.getString("device_code")), 400, "authorization_pending");
  }

  // ---------------------------------------------------------------------------------------------
  // Other users' and other clients' resources.
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> nonAdminBearers() {
    return Stream.of(
        arguments(Named.of("a user's access token", "Bearer %user%")),
        arguments(
            Named.of(
                "admin token in another case",
                "Bearer " + TestNodes.ADMIN_TOKEN.toUpperCase(java.util.Locale.ROOT))),
        arguments(Named.of("admin token with a suffix", "Bearer " + TestNodes.ADMIN_TOKEN + "x")),
        arguments(
            Named.of("admin token prefix", "Bearer " + TestNodes.ADMIN_TOKEN.substring(0, 10))),
        arguments(Named.of("Basic scheme", "Basic " + b64std("admin:" + TestNodes.ADMIN_TOKEN))),
        arguments(Named.of("empty bearer", "Bearer ")),
        arguments(Named.of("minted token", "Bearer %minted%")));
  }

  @ParameterizedTest(name = "admin with {0}")
  @MethodSource("nonAdminBearers")
  void adminNeedsTheAdminToken(String authorization) {
    String header =
        authorization
            .replace("%user%", aliceTokens.accessToken())
            .replace("%minted%", mint(header(), claims(alice.id()), key()));
    Response product =
        send(
            "PUT",
            "/admin/v1/users/" + alice.id() + "/product",
            "application/json",
            "{\"product\":\"premium\"}".getBytes(UTF_8),
            "Authorization",
            header);
    assertThat(assertError(product, 401)).isEqualTo("Invalid admin token");
    Response client =
        send(
            "POST",
            "/admin/v1/clients",
            "application/json",
            "{\"name\":\"evil\",\"redirect_uris\":[\"https://evil.example/cb\"],\"confidential\":true}"
                .getBytes(UTF_8),
            "Authorization",
            header);
    assertThat(assertError(client, 401)).isEqualTo("Invalid admin token");
    assertThat(client.body()).doesNotContain("client_secret");
    assertProduct(alice, aliceTokens, "free");
  }

  @Test
  void adminWithoutAuthorizationIs401() {
    Response response = send("POST", "/admin/v1/clients", "application/json", "{}".getBytes(UTF_8));
    assertThat(assertError(response, 401)).isEqualTo("Invalid admin token");
  }

  @Test
  void refreshTokenOfOneClientCannotBeRedeemedByAnother() {
    Tokens tokens = api.logIn(bob, null);
    Response stolen =
        api.postForm(
            "/api/token",
            form(
                "grant_type",
                "refresh_token",
                "refresh_token",
                tokens.refreshToken(),
                "client_id",
                publicClient),
            null);
    record(stolen, "refresh by another client");
    assertOAuthError(stolen, 400, "invalid_grant");
    Response confidential =
        api.postForm(
            "/api/token",
            form("grant_type", "refresh_token", "refresh_token", tokens.refreshToken()),
            confidentialClient + ":" + confidentialSecret);
    record(confidential, "refresh by a confidential client");
    assertOAuthError(confidential, 400, "invalid_grant");
    // Refused for the binding only: the rightful client still rotates it.
    assertThat(refresh(tokens.refreshToken()).status()).isEqualTo(200);
  }

  @Test
  void authorizationCodeIsBoundToClientVerifierAndRedirect() {
    String verifier = verifier();
    String code =
        authorize(alice, publicClient, PUBLIC_REDIRECT, "user-read-email", challenge(verifier));
    assertOAuthError(
        exchange(otherClient, null, code, PUBLIC_REDIRECT, verifier), 400, "invalid_grant");
    assertOAuthError(
        exchange(otherClient, null, code, OTHER_REDIRECT, verifier), 400, "invalid_grant");
    assertOAuthError(
        exchange(publicClient, null, code, PUBLIC_REDIRECT, verifier()), 400, "invalid_grant");
    assertOAuthError(
        exchange(publicClient, null, code, PUBLIC_REDIRECT, "short"), 400, "invalid_grant");
    assertOAuthError(
        exchange(publicClient, null, code, PUBLIC_REDIRECT + "/x", verifier), 400, "invalid_grant");
    assertOAuthError(
        exchange(publicClient, null, code, OTHER_REDIRECT, verifier), 400, "invalid_grant");
    assertOAuthError(
        exchange(publicClient, null, code, PUBLIC_REDIRECT, null), 400, "invalid_request");
    assertOAuthError(
        exchange(confidentialClient, confidentialSecret, code, PUBLIC_REDIRECT, verifier),
        400,
        "invalid_grant");
    // None of the refused attempts used the code up: the rightful redemption works, once.
    Response redeemed = exchange(publicClient, null, code, PUBLIC_REDIRECT, verifier);
    Tokens tokens = Api.tokens(redeemed);
    assertThat(tokens.scope()).isEqualTo("user-read-email");
    assertThat(get("/v1/me", tokens.accessToken()).json().getString("id")).isEqualTo(alice.id());
    assertOAuthError(
        exchange(publicClient, null, code, PUBLIC_REDIRECT, verifier), 400, "invalid_grant");
  }

  @Test
  void codeVerifierWithoutAChallengeIsRefused() {
    // PKCE downgrade: a code issued without a challenge must not be redeemed with a verifier.
    String code =
        authorize(alice, confidentialClient, CONFIDENTIAL_REDIRECT, "user-read-email", null);
    assertOAuthError(
        exchange(confidentialClient, confidentialSecret, code, CONFIDENTIAL_REDIRECT, verifier()),
        400,
        "invalid_grant");
    assertOAuthError(
        exchange(confidentialClient, "wrong", code, CONFIDENTIAL_REDIRECT, null),
        401,
        "invalid_client");
    Tokens tokens =
        Api.tokens(
            exchange(confidentialClient, confidentialSecret, code, CONFIDENTIAL_REDIRECT, null));
    assertThat(tokens.accessToken()).isNotBlank();
  }

  @Test
  void deviceCodeDecidedByOneUserCannotBeTakenByAnother() {
    JsonObject approved = startDevice(publicClient, "user-read-email");
    Tokens aliceFirstParty = api.logIn(alice, null);
    Tokens bobFirstParty = api.logIn(bob, null);
    assertThat(
            approveDevice(aliceFirstParty.accessToken(), approved.getString("user_code"), true)
                .status())
        .isEqualTo(204);
    Response bobApproves =
        approveDevice(bobFirstParty.accessToken(), approved.getString("user_code"), true);
    assertThat(assertError(bobApproves, 400)).isEqualTo("Unknown or expired user code");
    Response bobDenies =
        approveDevice(bobFirstParty.accessToken(), approved.getString("user_code"), false);
    assertThat(assertError(bobDenies, 400)).isEqualTo("Unknown or expired user code");

    JsonObject denied = startDevice(publicClient, "user-read-email");
    assertThat(
            approveDevice(aliceFirstParty.accessToken(), denied.getString("user_code"), false)
                .status())
        .isEqualTo(204);
    Response bobOverrides =
        approveDevice(bobFirstParty.accessToken(), denied.getString("user_code"), true);
    assertThat(assertError(bobOverrides, 400)).isEqualTo("Unknown or expired user code");
    Response viaPage =
        send(
            "POST",
            "/device",
            FORM,
            ("user_code="
                    + enc(denied.getString("user_code"))
                    + "&email="
                    + enc(bob.email())
                    + "&password="
                    + enc(bob.password())
                    + "&decision=approve")
                .getBytes(UTF_8));
    assertThat(viaPage.status()).isEqualTo(400);
    assertThat(viaPage.body()).contains("That code is unknown or has expired");

    // The approved device gets Alice's tokens, never Bob's; the denied one gets nothing.
    Tokens device = Api.tokens(pollDevice(publicClient, approved.getString("device_code")));
    Response me = get("/v1/me", device.accessToken());
    assertThat(me.json().getString("id")).isEqualTo(alice.id());
    assertOAuthError(
        pollDevice(publicClient, denied.getString("device_code")), 400, "access_denied");
  }

  @Test
  void deviceCodeOfOneClientCannotBePolledByAnother() {
    JsonObject device = startDevice(publicClient, "user-read-email");
    assertThat(
            approveDevice(aliceTokens.accessToken(), device.getString("user_code"), true).status())
        .isEqualTo(204);
    assertOAuthError(
        pollDevice(otherClient, device.getString("device_code")), 400, "invalid_grant");
    assertThat(pollDevice(publicClient, device.getString("device_code")).status()).isEqualTo(200);
  }

  @Test
  void devicePageWithWrongPasswordApprovesNothing() {
    JsonObject device = startDevice(publicClient, "user-read-email");
    Response page =
        send(
            "POST",
            "/device",
            FORM,
            ("user_code="
                    + enc(device.getString("user_code"))
                    + "&email="
                    + enc(alice.email())
                    + "&password=wrong-password&decision=approve")
                .getBytes(UTF_8));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Invalid email or password");
    assertOAuthError(
        pollDevice(publicClient, device.getString("device_code")), 400, "authorization_pending");
  }

  @Test
  void meNeverShowsAnotherUsersData() {
    Response me =
        send(
            "GET",
            "/v1/me?user_id=" + bob.id() + "&id=" + bob.id(),
            null,
            null,
            "Authorization",
            "Bearer " + aliceTokens.accessToken(),
            "X-User-Id",
            bob.id());
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("id")).isEqualTo(alice.id());
    assertThat(me.body()).doesNotContain(bob.email()).doesNotContain(bob.id());
    Response other = get("/v1/users/" + bob.id(), aliceTokens.accessToken());
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.json().fieldNames()).doesNotContain("email", "country", "product");
  }

  @Test
  void authorizeNeverRedirectsToAnUnregisteredUri() {
    Response response =
        send(
            "GET",
            "/authorize?"
                + Api.form(
                    form(
                        "client_id",
                        publicClient,
                        "response_type",
                        "code",
                        "redirect_uri",
                        "https://evil.example.com/steal",
                        "code_challenge",
                        challenge(verifier()))),
            null,
            null);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Location")).isNull();
    assertThat(response.body()).contains("redirect_uri is not registered for this app");
  }

  @Test
  void authorizeEscapesReflectedParameters() {
    Response response =
        send(
            "GET",
            "/authorize?"
                + Api.form(
                    form(
                        "client_id",
                        publicClient,
                        "response_type",
                        "code",
                        "redirect_uri",
                        PUBLIC_REDIRECT,
                        "state",
                        "\"><script>alert(1)</script>",
                        "code_challenge",
                        challenge(verifier()))),
            null,
            null);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("<script>alert(1)</script>");
  }

  // ---------------------------------------------------------------------------------------------
  // Replayed credentials.
  // ---------------------------------------------------------------------------------------------

  @Test
  void reusedRefreshTokenRevokesItsFamily() {
    Tokens first = api.logIn(bob, null);
    Tokens second = Api.tokens(refresh(first.refreshToken()));
    assertOAuthError(refresh(first.refreshToken()), 400, "invalid_grant");
    assertOAuthError(refresh(second.refreshToken()), 400, "invalid_grant");
    // Another sign-in is another family, untouched.
    assertThat(refresh(api.logIn(bob, null).refreshToken()).status()).isEqualTo(200);
  }

  @Test
  void concurrentRedemptionOfOneRefreshTokenYieldsAtMostOneFamilyMember() throws Exception {
    Tokens first = api.logIn(bob, null);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Response> answers = new ArrayList<>();
    try {
      List<CompletableFuture<Response>> racing = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        racing.add(CompletableFuture.supplyAsync(() -> refresh(first.refreshToken()), pool));
      }
      for (CompletableFuture<Response> answer : racing) {
        answers.add(answer.get());
      }
    } finally {
      pool.shutdown();
    }
    List<Response> won = answers.stream().filter(r -> r.status() == 200).toList();
    assertThat(won).hasSizeLessThanOrEqualTo(1);
    answers.stream()
        .filter(r -> r.status() != 200)
        .forEach(r -> assertOAuthError(r, 400, "invalid_grant"));
    // The reuse revoked the family, the winner's new token included.
    for (Response winner : won) {
      assertOAuthError(refresh(winner.json().getString("refresh_token")), 400, "invalid_grant");
    }
  }

  @Test
  void signedOutRefreshAndAccessTokensAreDead() {
    Tokens tokens = api.logIn(bob, null);
    Response out =
        postJson(
            "/api/logout",
            new JsonObject().put("refresh_token", tokens.refreshToken()).encode().getBytes(UTF_8),
            tokens.accessToken());
    assertThat(out.status()).isEqualTo(204);
    assertOAuthError(refresh(tokens.refreshToken()), 400, "invalid_grant");
    Response me = get("/v1/me", tokens.accessToken());
    assertThat(assertError(me, 401)).isEqualTo("The access token has been revoked");
  }

  @Test
  void logOutWithAForgedBearerIs401AndRevokesNothing() {
    Tokens tokens = api.logIn(bob, null);
    Response out =
        postJson(
            "/api/logout",
            new JsonObject().put("refresh_token", tokens.refreshToken()).encode().getBytes(UTF_8),
            mint(header(), claims(bob.id()), filled(32, (byte) 9)));
    assertThat(assertError(out, 401)).isEqualTo("Invalid access token");
    assertThat(refresh(tokens.refreshToken()).status()).isEqualTo(200);
  }

  @Test
  void consumedDeviceCodeCannotBeReplayed() {
    JsonObject device = startDevice(publicClient, "user-read-email");
    assertThat(
            approveDevice(aliceTokens.accessToken(), device.getString("user_code"), true).status())
        .isEqualTo(204);
    Tokens tokens = Api.tokens(pollDevice(publicClient, device.getString("device_code")));
    assertThat(tokens.accessToken()).isNotBlank();
    // Poll at the device's pace, so the replay is refused for being consumed, not for its pace.
    Duration pace = settings.auth().devicePollInterval().plusMillis(500);
    AtomicReference<Response> replay = new AtomicReference<>();
    await()
        .pollDelay(pace)
        .pollInterval(pace)
        .atMost(pace.multipliedBy(4))
        .until(
            () -> {
              replay.set(pollDevice(publicClient, device.getString("device_code")));
              return !replay.get().body().contains("slow_down");
            });
    assertOAuthError(replay.get(), 400, "invalid_grant");
    Response reapprove =
        approveDevice(bobTokens.accessToken(), device.getString("user_code"), true);
    assertThat(assertError(reapprove, 400)).isEqualTo("Unknown or expired user code");
  }

  // ---------------------------------------------------------------------------------------------
  // The end: the users are intact and nothing above got a 5xx.
  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(Integer.MAX_VALUE)
  void noAnswerWasA5xx() {
    assertUsersIntact();
    assertProduct(alice, aliceTokens, "free");
    assertThat(ANSWERS).isNotEmpty();
    assertThat(ANSWERS.stream().filter(a -> a.startsWith("5")).toList()).isEmpty();
    assertThat(fiveXxAnswers()).as("5xx answers counted by the node").isEqualTo(fiveXxBefore);
  }

  @AfterAll
  static void noFiveXxAtAll() {
    assertThat(ANSWERS.stream().filter(a -> a.startsWith("5")).toList()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers.
  // ---------------------------------------------------------------------------------------------

  private static void assertUsersIntact() {
    Tokens again = api.logIn(alice, null);
    assertThat(get("/v1/me", again.accessToken()).json().getString("email"))
        .isEqualTo(alice.email());
    Tokens bobAgain = api.logIn(bob, null);
    assertThat(get("/v1/me", bobAgain.accessToken()).json().getString("email"))
        .isEqualTo(bob.email());
  }

  private static void assertNoUser(String email) {
    Response response =
        postJson(
            "/api/login",
            new JsonObject()
                .put("email", email)
                .put("password", "correct horse battery staple")
                .encode()
                .getBytes(UTF_8),
            null);
    assertThat(response.status()).as(response.body()).isIn(400, 401);
  }

  private static void assertProduct(Account account, Tokens tokens, String product) {
    Response me = get("/v1/me", tokens.accessToken());
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    assertThat(me.json().getString("id")).isEqualTo(account.id());
    assertThat(me.json().getString("product")).isEqualTo(product);
  }

  /** Asserts the status and the Spotify error object; returns its message. */
  private static String assertError(Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonObject error = response.json().getJsonObject("error");
    assertThat(error).as(response.body()).isNotNull();
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("status", "message");
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("message")).isNotBlank();
    return error.getString("message");
  }

  /** Asserts an RFC 6749 error; {@code error} null accepts any error code. */
  private static void assertOAuthError(Response response, int status, String error) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    JsonObject json = response.json();
    assertThat(json.getValue("error")).as(response.body()).isInstanceOf(String.class);
    if (error != null) {
      assertThat(json.getString("error")).as(response.body()).isEqualTo(error);
    }
    assertThat(json.getString("error_description")).isNotBlank();
    assertThat(json.fieldNames()).doesNotContain("access_token", "refresh_token");
  }

  private static void assertRawError(Raw response, int status, String message) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.error().getInteger("status")).isEqualTo(status);
    assertThat(response.error().getString("message")).isEqualTo(message);
  }

  private static Response send(
      String method, String path, String contentType, byte[] body, String... headers) {
    return record(api.send(method, path, contentType, body, headers), method + " " + path);
  }

  private static Response get(String path, String bearer) {
    return send("GET", path, null, null, "Authorization", "Bearer " + bearer);
  }

  private static Response postJson(String path, byte[] body, String bearer) {
    return bearer == null
        ? send("POST", path, "application/json", body)
        : send("POST", path, "application/json", body, "Authorization", "Bearer " + bearer);
  }

  private static Response adminJson(String method, String path, String body) {
    return send(
        method,
        path,
        "application/json",
        body.getBytes(UTF_8),
        "Authorization",
        "Bearer " + TestNodes.ADMIN_TOKEN);
  }

  private static Response refresh(String refreshToken) {
    return record(api.refresh(refreshToken), "refresh");
  }

  private static Response record(Response response, String what) {
    ANSWERS.add(response.status() + " " + what);
    return response;
  }

  private static JsonObject registerClient(String name, String redirect, boolean confidential) {
    Response response =
        api.admin(
            "POST",
            "/admin/v1/clients",
            new JsonObject()
                .put("name", name)
                .put("redirect_uris", new JsonArray().add(redirect))
                .put("confidential", confidential));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json();
  }

  private static String clientCredentialsToken() {
    Response response =
        api.postForm(
            "/api/token",
            form("grant_type", "client_credentials"),
            confidentialClient + ":" + confidentialSecret);
    return Api.tokens(record(response, "client credentials")).accessToken();
  }

  private static JsonObject startDevice(String clientId, String scope) {
    Response response =
        api.postForm("/api/device/code", form("client_id", clientId, "scope", scope), null);
    record(response, "device code");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static Response approveDevice(String bearer, String userCode, boolean approve) {
    return postJson(
        "/api/device/approve",
        new JsonObject()
            .put("user_code", userCode)
            .put("approve", approve)
            .encode()
            .getBytes(UTF_8),
        bearer);
  }

  private static Response pollDevice(String clientId, String deviceCode) {
    return record(
        api.postForm(
            "/api/token",
            form("grant_type", DEVICE_GRANT, "device_code", deviceCode, "client_id", clientId),
            null),
        "device poll");
  }

  /** Signs in through the authorize page and returns the code it redirects with. */
  private static String authorize(
      Account who, String clientId, String redirect, String scope, String challenge) {
    Map<String, String> fields =
        form(
            "client_id",
            clientId,
            "response_type",
            "code",
            "redirect_uri",
            redirect,
            "scope",
            scope,
            "state",
            "st",
            "email",
            who.email(),
            "password",
            who.password(),
            "decision",
            "approve");
    if (challenge != null) {
      fields.put("code_challenge", challenge);
      fields.put("code_challenge_method", "S256");
    }
    Response response = record(api.postForm("/authorize", fields, null), "authorize");
    assertThat(response.status()).as(response.body()).isEqualTo(302);
    String location = response.header("Location");
    assertThat(location).startsWith(redirect + "?code=");
    String query = URI.create(location).getRawQuery();
    for (String pair : query.split("&")) {
      if (pair.startsWith("code=")) {
        return URLDecoder.decode(pair.substring(5), UTF_8);
      }
    }
    throw new AssertionError("no code in " + location);
  }

  private static Tokens authorizationCodeTokens(Account who, String scope) {
    String verifier = verifier();
    String code = authorize(who, publicClient, PUBLIC_REDIRECT, scope, challenge(verifier));
    return Api.tokens(exchange(publicClient, null, code, PUBLIC_REDIRECT, verifier));
  }

  private static Response exchange(
      String clientId, String secret, String code, String redirect, String verifier) {
    Map<String, String> fields =
        form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect);
    if (verifier != null) {
      fields.put("code_verifier", verifier);
    }
    if (secret == null) {
      fields.put("client_id", clientId);
    }
    return record(
        api.postForm("/api/token", fields, secret == null ? null : clientId + ":" + secret),
        "code exchange");
  }

  private static String verifier() {
    return (UUID.randomUUID() + "-" + UUID.randomUUID()).replace("-", "");
  }

  private static String challenge(String verifier) {
    try {
      return b64(
          MessageDigest.getInstance("SHA-256")
              .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> form(String... pairs) {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      form.put(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  private static String freshEmail() {
    return "hostile-" + UUID.randomUUID() + "@example.com";
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, UTF_8);
  }

  // Tokens.

  private static byte[] key() {
    return settings.auth().signingKeys().get(0).secret();
  }

  private static JsonObject header() {
    return new JsonObject()
        .put("alg", "HS256")
        .put("typ", "JWT")
        .put("kid", settings.auth().signingKeys().get(0).id());
  }

  private static JsonObject claims(String userId) {
    long now = now();
    return new JsonObject()
        .put("sub", userId)
        .put("cid", "cadenza")
        .put("scope", "user-read-private user-read-email")
        .put("product", "free")
        .put("jti", UUID.randomUUID().toString())
        .put("iss", settings.auth().issuer())
        .put("iat", now)
        .put("exp", now + 600);
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static JsonObject without(JsonObject json, String field) {
    json.remove(field);
    return json;
  }

  private static byte[] randomKey() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static byte[] filled(int length, byte value) {
    byte[] bytes = new byte[length];
    java.util.Arrays.fill(bytes, value);
    return bytes;
  }

  private static String unsigned(JsonObject header, JsonObject claims) {
    return b64(compact(header)) + "." + b64(claims.encode());
  }

  private static String mint(JsonObject header, JsonObject claims, byte[] key) {
    String input = unsigned(header, claims);
    return input + "." + b64(hmac("HmacSHA256", key, input));
  }

  private static String signedRaw(String input) {
    return input + "." + b64(hmac("HmacSHA256", key(), input));
  }

  private static String mintHs512(JsonObject claims) {
    String input = unsigned(header().put("alg", "HS512"), claims);
    return input + "." + b64(hmac("HmacSHA512", key(), input));
  }

  /** The header without the null fields a case removed. */
  private static String compact(JsonObject header) {
    JsonObject copy = new JsonObject();
    header.forEach(
        entry -> {
          if (entry.getValue() != null) {
            copy.put(entry.getKey(), entry.getValue());
          }
        });
    return copy.encode();
  }

  private static byte[] hmac(String algorithm, byte[] key, String input) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A segment of a freshly minted valid token of Alice's. */
  private static String validPart(int index) {
    return part(mint(header(), claims(alice.id()), key()), index);
  }

  private static String part(String token, int index) {
    return token.split("\\.")[index];
  }

  /** A real token with one payload claim changed and the original signature kept. */
  private static String editedPayload(String token, String claim, Object value) {
    String[] parts = token.split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8));
    payload.put(claim, value);
    return parts[0] + "." + b64(payload.encode()) + "." + parts[2];
  }

  private static String b64(String text) {
    return b64(text.getBytes(UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String b64std(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  // Metrics.

  /** The node's count of 5xx answers, from its Prometheus metrics. */
  private static double fiveXxAnswers() {
    Response metrics = api.send("GET", "/metrics", null, null);
    assertThat(metrics.status()).isEqualTo(200);
    double total = 0;
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("vertx_http_server_responses_total{") && line.contains("code=\"5")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  // Raw HTTP/1.1 over a socket, for what java.net.http refuses to send.

  /** A raw answer. */
  record Raw(int status, Map<String, String> headers, String text, String body) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonObject error() {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      assertThat(error).as(text).isNotNull();
      return error;
    }
  }

  private static byte[] request(
      String method, String target, String contentType, byte[] body, String... headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    head.append("Connection: close\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    head.append("\r\n");
    write(out, head.toString());
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static Raw raw(byte[] request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(request);
                  out.flush();
                } catch (IOException refused) {
                  // The server may answer and close before it read everything.
                }
              });
      writer.start();
      byte[] answer = readAnswer(socket.getInputStream());
      writer.join(10_000);
      Raw raw = parse(answer);
      ANSWERS.add(
          raw.status()
              + " raw "
              + new String(request, 0, Math.min(request.length, 80), ISO_8859_1)
                  .lines()
                  .findFirst()
                  .orElse(""));
      return raw;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Reads until the server closes, or until one whole answer is in. */
  private static byte[] readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        answer.write(buffer, 0, read);
        if (complete(answer.toByteArray())) {
          break;
        }
      }
    } catch (IOException reset) {
      if (answer.size() == 0) {
        throw reset;
      }
    }
    return answer.toByteArray();
  }

  private static boolean complete(byte[] bytes) {
    String text = new String(bytes, ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase(Locale.ROOT);
    for (String line : head.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        int length = Integer.parseInt(line.substring(15).strip());
        return bytes.length >= end + 4 + length;
      }
    }
    return head.contains("transfer-encoding: chunked") && text.endsWith("0\r\n\r\n");
  }

  private static Raw parse(byte[] bytes) {
    String text = new String(bytes, ISO_8859_1);
    assertThat(text).as("an HTTP answer").startsWith("HTTP/1.");
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    String body = end < 0 ? "" : text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      StringBuilder decoded = new StringBuilder();
      int at = 0;
      while (at < body.length()) {
        int lineEnd = body.indexOf("\r\n", at);
        int size = Integer.parseInt(body.substring(at, lineEnd).strip(), 16);
        if (size == 0) {
          break;
        }
        decoded.append(body, lineEnd + 2, lineEnd + 2 + size);
        at = lineEnd + 2 + size + 2;
      }
      body = decoded.toString();
    }
    return new Raw(status, headers, text, new String(body.getBytes(ISO_8859_1), UTF_8));
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(ISO_8859_1));
  }
}
