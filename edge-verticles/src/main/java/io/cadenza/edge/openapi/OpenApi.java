package io.cadenza.edge.openapi;

import io.cadenza.config.error.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Cadenza's OpenAPI 3.1 contract ({@value #RESOURCE} on the classpath): serves it, and validates
 * requests against it with Vert.x's own OpenAPI support (vertx-openapi).
 *
 * <p>Mount {@link #validate(String)} after a {@code BodyHandler} and before the operation's
 * handler; a request that breaks the contract fails the routing context with a {@link
 * ValidationException} whose message is one sentence naming the field ({@code "Invalid request
 * body: email must be an email address"}, {@code "Missing required parameter: client_id"}), which
 * the edge's failure handler answers with 400 and the error object.
 */
public final class OpenApi {

  /** The contract on the classpath. */
  public static final String RESOURCE = "openapi/cadenza.yaml";

  private static final String CACHE_CONTROL = "public, max-age=300";

  /**
   * Operations {@link #validate(String)} lets through: their handlers validate by hand. Their
   * bodies are {@code application/x-www-form-urlencoded}, which vertx-openapi 5.0.8 can neither
   * validate nor even accept in a contract (only JSON, multipart, text and octet-stream bodies),
   * and their errors are not the error object a {@link ValidationException} becomes: RFC 6749
   * {@code {"error","error_description"}} at the token and device endpoints, HTML pages (or a
   * redirect to the client) at {@code /authorize} and {@code /device}.
   *
   * <p>Search and its type-ahead are validated by {@code SearchRequest} and the index (Spotify's
   * messages): vertx-openapi 5.0.8 decodes a string query parameter that is not a single word as
   * JSON, so a query with a quote or a backslash inside ({@code artist:"Iron Maiden"}, {@code
   * AC\DC}) would be refused as malformed.
   */
  static final Set<String> VALIDATED_BY_HANDLERS =
      Set.of(
          "request-token",
          "request-device-code",
          "authorize",
          "authorize-decision",
          "device-page",
          "device-decision",
          "search",
          "get-search-suggestions");

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private final OpenAPIContract contract;
  private final RequestValidator validator;
  private final ValidationMessages messages;
  private final JsonObject document;
  private final Buffer yaml;
  private final Buffer json;

  private OpenApi(Vertx vertx, OpenAPIContract contract, Source source) {
    this.contract = contract;
    this.validator = RequestValidator.create(vertx, contract);
    this.document = source.document();
    this.messages = new ValidationMessages(document);
    this.yaml = Buffer.buffer(source.yaml());
    this.json = Buffer.buffer(source.document().encodePrettily());
  }

  /**
   * Reads the contract from the classpath (on a worker thread) and parses and validates it with
   * vertx-openapi; fails when the document is not valid OpenAPI 3.1.
   */
  public static Future<OpenApi> load(Vertx vertx) {
    return vertx
        .executeBlocking(OpenApi::read)
        .compose(
            source ->
                OpenAPIContract.from(vertx, forLibrary(source.document()))
                    .map(contract -> new OpenApi(vertx, contract, source)));
  }

  /** The document as parsed from the YAML, unresolved (a copy). */
  public JsonObject document() {
    return document.copy();
  }

  /** The contract as vertx-openapi sees it. */
  public OpenAPIContract contract() {
    return contract;
  }

  /** {@code GET /openapi.yaml}: the document as written. */
  public Handler<RoutingContext> serveYaml() {
    return ctx -> serve(ctx, "application/yaml; charset=utf-8", yaml);
  }

  /** {@code GET /openapi.json}: the same document as JSON. */
  public Handler<RoutingContext> serveJson() {
    return ctx -> serve(ctx, "application/json", json);
  }

  /**
   * Validates the request's parameters and JSON body against the operation, then calls the next
   * handler; on a violation fails the context with a {@link ValidationException}. Needs the body
   * read by a {@code BodyHandler} first. Path parameters are read from the request path where the
   * contract's path template places them; the route's own parameter names do not matter.
   *
   * <p>The operations in {@link #VALIDATED_BY_HANDLERS} (form bodies, OAuth and HTML errors) pass
   * through unvalidated.
   *
   * @throws IllegalArgumentException when the contract has no such operation
   */
  public Handler<RoutingContext> validate(String operationId) {
    Operation operation = contract.operation(operationId);
    if (operation == null) {
      throw new IllegalArgumentException("The OpenAPI contract has no operation " + operationId);
    }
    if (VALIDATED_BY_HANDLERS.contains(operationId)) {
      return RoutingContext::next;
    }
    return ctx -> {
      if (operation.getRequestBody() != null && !ctx.body().available()) {
        ctx.fail(
            new IllegalStateException("Mount a BodyHandler before validate(" + operationId + ")"));
        return;
      }
      Buffer body = ctx.body().buffer();
      String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
      if (operation.getRequestBody() != null
          && contentType != null
          && !declaresMediaType(operation, contentType)) {
        ctx.fail(
            new ValidationException(
                "Invalid request body: Content-Type must be "
                    + String.join(" or ", operation.getRequestBody().getContent().keySet())));
        return;
      }
      if (isJsonBody(operation, contentType) && body != null && body.length() > 0) {
        if (!isUtf8(body)) {
          ctx.fail(new ValidationException("Invalid request body: malformed UTF-8"));
          return;
        }
        String problem = StrictJson.problem(body);
        if (problem != null) {
          ctx.fail(new ValidationException(problem));
          return;
        }
      }
      Future<ValidatableRequest> request;
      try {
        request =
            RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(body));
      } catch (RuntimeException malformed) {
        request = Future.failedFuture(malformed);
      }
      request
          .compose(extracted -> validator.validate(extracted, operationId))
          .onSuccess(validated -> ctx.next())
          .onFailure(failure -> ctx.fail(messages.toException(failure, operation)));
    };
  }

  private static void serve(RoutingContext ctx, String contentType, Buffer content) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL)
        .end(content);
  }

  private static boolean isJsonBody(Operation operation, String contentType) {
    return operation.getRequestBody() != null
        && operation.getRequestBody().determineContentType(contentType) != null;
  }

  /**
   * Whether the request's media type (parameters aside) is one the operation declares exactly; the
   * library's own match takes any type that merely starts like a declared one.
   */
  private static boolean declaresMediaType(Operation operation, String contentType) {
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .strip()
            .toLowerCase(java.util.Locale.ROOT);
    return operation.getRequestBody().getContent().keySet().stream()
        .anyMatch(declared -> declared.equalsIgnoreCase(type));
  }

  private static boolean isUtf8(Buffer body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** The YAML as written and as a JSON object. */
  private record Source(byte[] yaml, JsonObject document) {}

  private static Source read() throws IOException {
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "The OpenAPI contract " + RESOURCE + " is not on the classpath");
      }
      byte[] yaml = in.readAllBytes();
      Object parsed =
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(new String(yaml, StandardCharsets.UTF_8));
      if (!(parsed instanceof Map<?, ?>)) {
        throw new IllegalStateException("The OpenAPI contract " + RESOURCE + " is not a YAML map");
      }
      return new Source(yaml, (JsonObject) toJson(parsed));
    }
  }

  /** YAML values as JSON values: keys as strings (YAML allows {@code 200:}), dates as text. */
  private static Object toJson(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      Map<String, Object> json = new LinkedHashMap<>();
      map.forEach((key, value) -> json.put(String.valueOf(key), toJson(value)));
      return new JsonObject(json);
    }
    if (yaml instanceof List<?> list) {
      List<Object> json = new ArrayList<>(list.size());
      list.forEach(value -> json.add(toJson(value)));
      return new JsonArray(json);
    }
    if (yaml instanceof Date date) {
      return date.toInstant().toString();
    }
    return yaml;
  }

  /**
   * The document as vertx-openapi 5.0.8 accepts it. The library refuses a whole contract that
   * declares a media type it cannot validate ({@code application/x-www-form-urlencoded} bodies,
   * {@code text/html} and {@code application/yaml} answers), so its copy leaves those media types
   * out (and a request body left without any); the served document keeps them.
   */
  static JsonObject forLibrary(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!HTTP_METHODS.contains(method)) {
          continue;
        }
        JsonObject operation = item.getJsonObject(method);
        JsonObject body = operation.getJsonObject("requestBody");
        if (body != null && !body.containsKey("$ref") && !keepSupportedContent(body)) {
          operation.remove("requestBody");
        }
        keepSupportedContent(operation.getJsonObject("responses").getMap().values());
      }
    }
    JsonObject components = copy.getJsonObject("components", new JsonObject());
    keepSupportedContent(components.getJsonObject("responses", new JsonObject()).getMap().values());
    return copy;
  }

  private static void keepSupportedContent(Collection<Object> responses) {
    for (Object response : responses) {
      if (response instanceof JsonObject object) {
        keepSupportedContent(object);
      }
    }
  }

  /**
   * Keeps only the media types the library supports in a request body's or response's content.
   *
   * @return whether any media type is left
   */
  private static boolean keepSupportedContent(JsonObject holder) {
    JsonObject content = holder.getJsonObject("content");
    if (content == null) {
      return false;
    }
    content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
    if (content.isEmpty()) {
      holder.remove("content");
      return false;
    }
    return true;
  }
}
