package io.cadenza.edge.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.config.error.CadenzaException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenApiTest {

  /** What this release implements; the document must list exactly these. */
  private static final Set<String> OPERATION_IDS =
      Set.of(
          "get-current-users-profile",
          "get-users-profile",
          "sign-up",
          "log-in",
          "log-out",
          "request-token",
          "authorize",
          "authorize-decision",
          "request-device-code",
          "device-page",
          "device-decision",
          "approve-device",
          "get-track",
          "get-several-tracks",
          "get-an-album",
          "get-multiple-albums",
          "get-an-albums-tracks",
          "get-an-artist",
          "get-multiple-artists",
          "get-an-artists-albums",
          "get-an-artists-top-tracks",
          "get-new-releases",
          "get-genre-albums",
          "search",
          "get-search-suggestions",
          "get-information-about-the-users-current-playback",
          "transfer-a-users-playback",
          "get-a-users-available-devices",
          "get-the-users-currently-playing-track",
          "start-a-users-playback",
          "pause-a-users-playback",
          "skip-users-playback-to-next-track",
          "skip-users-playback-to-previous-track",
          "seek-to-position-in-currently-playing-track",
          "set-repeat-mode-on-users-playback",
          "toggle-shuffle-for-users-playback",
          "set-volume-for-users-playback",
          "get-queue",
          "add-to-queue",
          "get-recently-played",
          "report-plays",
          "get-users-top-artists",
          "get-users-top-tracks",
          "get-track-charts",
          "speaker-hello",
          "speaker-state",
          "speaker-report",
          "speaker-command",
          "speaker-bye",
          "get-track-media",
          "get-media",
          "set-user-product",
          "ingest-track-media",
          "register-client",
          "health",
          "ready",
          "metrics",
          // GET /openapi.yaml and GET /openapi.json: two operations, and ids are unique.
          "openapi",
          "openapi-json");

  private static final Set<String> OAUTH_ERRORS = Set.of("request-token", "request-device-code");
  private static final Set<String> HTML_ERRORS = Set.of("authorize", "authorize-decision");

  private static final String VALID_SIGN_UP =
      """
      {"email":"ada@example.com","password":"correct horse","display_name":"Ada","country":"GB"}""";

  private static Vertx vertx;
  private static OpenApi api;
  private static HttpServer server;
  private static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    api = OpenApi.load(vertx).await();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    router
        .post("/api/signup")
        .handler(api.validate("sign-up"))
        .handler(ctx -> ctx.response().setStatusCode(201).end());
    router
        .get("/v1/users/:user_id")
        .handler(api.validate("get-users-profile"))
        .handler(ctx -> ctx.response().end(ctx.pathParam("user_id")));
    router
        .post("/api/token")
        .handler(api.validate("request-token"))
        .handler(ctx -> ctx.response().end("handled by hand"));
    router.get("/openapi.json").handler(api.serveJson());
    router.get("/openapi.yaml").handler(api.serveYaml());
    router.route().failureHandler(OpenApiTest::errorObject);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** What the edge's ErrorResponses does with a failure. */
  private static void errorObject(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status =
        failure instanceof CadenzaException known
            ? known.status()
            : failure instanceof HttpException http ? http.getStatusCode() : 500;
    String message = failure instanceof CadenzaException ? failure.getMessage() : "Server error";
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("error", new JsonObject().put("status", status).put("message", message))
                .encode());
  }

  private static HttpResponse<Buffer> signUp(String contentType, Buffer body) {
    return client
        .post(server.actualPort(), "127.0.0.1", "/api/signup")
        .putHeader("Content-Type", contentType)
        .sendBuffer(body)
        .await();
  }

  private static HttpResponse<Buffer> signUp(String json) {
    return signUp("application/json", Buffer.buffer(json));
  }

  private static HttpResponse<Buffer> get(String path) {
    return client.get(server.actualPort(), "127.0.0.1", path).send().await();
  }

  private static void assertBadRequest(HttpResponse<Buffer> response, String message) {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("error", new JsonObject().put("status", 400).put("message", message)));
  }

  private static String signUpWith(String field, Object value) {
    return new JsonObject(VALID_SIGN_UP).put(field, value).encode();
  }

  @Test
  void validSignUpPasses() {
    assertThat(signUp(VALID_SIGN_UP).statusCode()).isEqualTo(201);
  }

  @Test
  void signUpWithJsonCharsetPasses() {
    assertThat(signUp("application/json; charset=utf-8", Buffer.buffer(VALID_SIGN_UP)).statusCode())
        .isEqualTo(201);
  }

  @Test
  void missingEmailNamesIt() {
    JsonObject body = new JsonObject(VALID_SIGN_UP);
    body.remove("email");
    assertBadRequest(signUp(body.encode()), "Invalid request body: email is required");
  }

  @Test
  void badEmailNamesIt() {
    assertBadRequest(
        signUp(signUpWith("email", "ada.example.com")),
        "Invalid request body: email must be an email address");
  }

  @Test
  void shortPasswordNamesTheMinimum() {
    assertBadRequest(
        signUp(signUpWith("password", "short")),
        "Invalid request body: password must be at least 8 characters");
  }

  @Test
  void badCountryNamesThePattern() {
    assertBadRequest(
        signUp(signUpWith("country", "gb")), "Invalid request body: country must match ^[A-Z]{2}$");
  }

  @Test
  void extraPropertyIsRefused() {
    assertBadRequest(
        signUp(signUpWith("nickname", "ada")),
        "Invalid request body: unexpected property nickname");
  }

  @Test
  void wrongTypeNamesTheExpectedType() {
    assertBadRequest(
        signUp(signUpWith("display_name", 42)),
        "Invalid request body: display_name must be a string");
  }

  @Test
  void malformedJsonIsABadRequest() {
    assertBadRequest(signUp("{\"email\": "), "Invalid request body: malformed JSON");
  }

  @Test
  void trailingGarbageIsMalformedJson() {
    assertBadRequest(signUp(VALID_SIGN_UP + " {}"), "Invalid request body: malformed JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"ada\"", "42", "null", "true"})
  void jsonThatIsNotAnObjectIsABadRequest(String body) {
    assertBadRequest(signUp(body), "Invalid request body: expected a JSON object");
  }

  @Test
  void textPlainBodyIsABadRequest() {
    assertBadRequest(
        signUp("text/plain", Buffer.buffer(VALID_SIGN_UP)),
        "Invalid request body: Content-Type must be application/json");
  }

  @Test
  void formBodyIsABadRequest() {
    assertBadRequest(
        signUp("application/x-www-form-urlencoded", Buffer.buffer("email=ada%40example.com")),
        "Invalid request body: Content-Type must be application/json");
  }

  @Test
  void missingBodyIsABadRequest() {
    assertBadRequest(
        signUp("application/json", Buffer.buffer()),
        "Missing request body: a JSON object is required");
  }

  @Test
  void invalidUtf8IsABadRequest() {
    Buffer body =
        Buffer.buffer("{\"email\":\"ada@example.com\",\"password\":\"")
            .appendBytes(new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xFF, 0x41})
            .appendString("xxxxxxxx\",\"display_name\":\"Ada\",\"country\":\"GB\"}");
    assertBadRequest(signUp("application/json", body), "Invalid request body: malformed UTF-8");
  }

  @Test
  void wellFormedUserIdPasses() {
    HttpResponse<Buffer> response = get("/v1/users/4Uv9Tq0Zb6mX2kR8pLw3Ns");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("4Uv9Tq0Zb6mX2kR8pLw3Ns");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/users/smedjan",
        "/v1/users/4Uv9Tq0Zb6mX2kR8pLw3N_",
        "/v1/users/4Uv9Tq0Zb6mX2kR8pLw3Ns1",
        "/v1/users/%C3%A9Uv9Tq0Zb6mX2kR8pLw3N"
      })
  void malformedUserIdIsABadRequest(String path) {
    assertBadRequest(get(path), "Invalid user id");
  }

  @Test
  void formOperationsPassThroughToTheirHandlers() {
    HttpResponse<Buffer> response =
        client
            .post(server.actualPort(), "127.0.0.1", "/api/token")
            .putHeader("Content-Type", "application/x-www-form-urlencoded")
            .sendBuffer(Buffer.buffer("grant_type=nonsense"))
            .await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("handled by hand");
  }

  @Test
  void unknownOperationIdIsRefusedAtMountTime() {
    assertThatThrownBy(() -> api.validate("get-a-show"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("get-a-show");
  }

  @Test
  void openApiJsonListsEveryOperation() {
    HttpResponse<Buffer> response = get("/openapi.json");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.getHeader("Cache-Control")).isEqualTo("public, max-age=300");
    assertThat(operationIds(response.bodyAsJsonObject())).isEqualTo(OPERATION_IDS);
  }

  @Test
  void openApiYamlIsTheSameDocument() {
    HttpResponse<Buffer> yaml = get("/openapi.yaml");
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.getHeader("Content-Type")).startsWith("application/yaml");
    assertThat(yaml.getHeader("Cache-Control")).isEqualTo("public, max-age=300");
    assertThat(yaml.bodyAsString()).contains("openapi: 3.1.0").contains("operationId: sign-up");
    assertThat(get("/openapi.json").bodyAsJsonObject()).isEqualTo(api.document());
  }

  @Test
  void documentAdvertisesOnlyWhatExists() {
    assertThat(OPERATION_IDS).containsAll(operationIds(api.document()));
    assertThat(api.contract().operations())
        .extracting(Operation::getOperationId)
        .containsExactlyInAnyOrderElementsOf(OPERATION_IDS);
  }

  @Test
  void libraryParsesTheContract() {
    OpenApi loaded = OpenApi.load(vertx).await();
    assertThat(loaded.contract().getVersion()).isEqualTo(OpenAPIVersion.V3_1);
    assertThat(loaded.contract().getServers().get(0).getURL()).isEqualTo("http://127.0.0.1:8080");
    assertThat(loaded.contract().operation("sign-up").getRequestBody()).isNotNull();
  }

  @Test
  void servedDocumentIsValidOpenApi31() {
    // The library builds its contract from a copy without the media types it cannot validate;
    // the document clients get (form bodies, HTML pages included) is checked here as a whole.
    OutputUnit result =
        OpenAPIVersion.V3_1
            .getRepository(vertx, "app://")
            .compose(
                repository ->
                    OpenAPIVersion.V3_1.validateContract(vertx, repository, api.document()))
            .await();
    assertThat(result.getValid()).as(String.valueOf(result.getErrors())).isTrue();
  }

  @Test
  void every4xxIsDocumentedWithItsErrorShape() {
    JsonObject document = api.document();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject operation = item.getJsonObject(method);
        String id = operation.getString("operationId");
        JsonObject responses = operation.getJsonObject("responses");
        for (String code : responses.fieldNames()) {
          if (!code.startsWith("4")) {
            continue;
          }
          JsonObject response = resolve(document, responses.getJsonObject(code));
          JsonObject content = response.getJsonObject("content");
          assertThat(content).as(id + " " + code).isNotNull();
          if (HTML_ERRORS.contains(id)) {
            assertThat(content.fieldNames()).as(id + " " + code).containsExactly("text/html");
          } else {
            String schema = OAUTH_ERRORS.contains(id) ? "OAuthError" : "ErrorResponse";
            assertThat(content.getJsonObject("application/json").getJsonObject("schema"))
                .as(id + " " + code)
                .isEqualTo(new JsonObject().put("$ref", "#/components/schemas/" + schema));
          }
        }
      }
    }
  }

  @Test
  void extensionsAreMarked() {
    Set<String> spotifys =
        Set.of(
            "get-current-users-profile",
            "get-users-profile",
            "request-token",
            "authorize",
            "get-track",
            "get-several-tracks",
            "get-an-album",
            "get-multiple-albums",
            "get-an-albums-tracks",
            "get-an-artist",
            "get-multiple-artists",
            "get-an-artists-albums",
            "get-an-artists-top-tracks",
            "get-new-releases",
            "get-information-about-the-users-current-playback",
            "transfer-a-users-playback",
            "get-a-users-available-devices",
            "get-the-users-currently-playing-track",
            "start-a-users-playback",
            "pause-a-users-playback",
            "skip-users-playback-to-next-track",
            "skip-users-playback-to-previous-track",
            "seek-to-position-in-currently-playing-track",
            "set-repeat-mode-on-users-playback",
            "toggle-shuffle-for-users-playback",
            "set-volume-for-users-playback",
            "get-queue",
            "add-to-queue",
            "get-recently-played",
            "get-users-top-artists",
            "get-users-top-tracks",
            "search");
    JsonObject paths = api.document().getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject operation = item.getJsonObject(method);
        assertThat(operation.getBoolean("x-cadenza-extension", false))
            .as(operation.getString("operationId"))
            .isEqualTo(!spotifys.contains(operation.getString("operationId")));
      }
    }
  }

  private static JsonObject resolve(JsonObject document, JsonObject maybeRef) {
    String ref = maybeRef.getString("$ref");
    if (ref == null) {
      return maybeRef;
    }
    List<String> segments = List.of(ref.substring(2).split("/"));
    JsonObject node = document;
    for (String segment : segments) {
      node = node.getJsonObject(segment);
    }
    return node;
  }

  private static Set<String> operationIds(JsonObject document) {
    Set<String> ids = new HashSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        ids.add(item.getJsonObject(method).getString("operationId"));
      }
    }
    return ids;
  }
}
