package io.cadenza.edge.openapi;

import io.cadenza.config.error.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns vertx-openapi's validation failures into one sentence for the client that names the field
 * and the rule, from the failing keyword and the contract's schema (never the library's schema
 * dump): {@code "Invalid request body: password must be at least 8 characters"}, {@code "Missing
 * required parameter: client_id"}, {@code "Invalid user id"} (a parameter whose schema has a {@code
 * title} is reported as {@code "Invalid <title>"}, Spotify's phrasing).
 */
final class ValidationMessages {

  /** How the library's messages name a parameter (vertx-openapi 5.0.8 ValidatorException). */
  private static final Pattern PARAMETER =
      Pattern.compile("\\b(path|query|header|cookie) parameter (\\S+)");

  private static final Pattern QUOTED = Pattern.compile("\"(.*)\"");

  /** Keywords whose errors only say that something below them failed. */
  private static final Set<String> WRAPPERS =
      Set.of(
          "properties",
          "patternProperties",
          "items",
          "prefixItems",
          "$ref",
          "$dynamicRef",
          "allOf",
          "anyOf",
          "oneOf",
          "not",
          "if",
          "then",
          "else",
          "dependentSchemas",
          "unevaluatedProperties",
          "unevaluatedItems",
          "contains");

  private final JsonObject document;

  ValidationMessages(JsonObject document) {
    this.document = document;
  }

  /**
   * The client's error for a failed validation; a failure that is not about the request (a bug,
   * say) is returned unchanged.
   */
  Throwable toException(Throwable failure, Operation operation) {
    if (!(failure instanceof ValidatorException invalid)) {
      return failure;
    }
    String message = message(invalid, operation);
    return message == null ? failure : new ValidationException(message);
  }

  private String message(ValidatorException invalid, Operation operation) {
    OutputUnit result =
        invalid instanceof SchemaValidationException schemaInvalid
            ? schemaInvalid.getOutputUnit()
            : null;
    Parameter parameter = parameterNamedIn(invalid.getMessage(), operation);
    if (parameter != null) {
      return switch (invalid.type()) {
        case MISSING_REQUIRED_PARAMETER -> "Missing required parameter: " + parameter.getName();
        case INVALID_VALUE -> result == null ? null : parameterMessage(result, parameter);
        case ILLEGAL_VALUE, INVALID_VALUE_FORMAT ->
            "Invalid " + parameterKind(parameter) + ": " + parameter.getName() + " is malformed";
        default -> null;
      };
    }
    if (String.valueOf(invalid.getMessage()).startsWith("Can't decode URL value")) {
      return "Invalid request: malformed percent-encoding in the URL";
    }
    if (operation.getRequestBody() == null) {
      return null;
    }
    return switch (invalid.type()) {
      case MISSING_REQUIRED_PARAMETER ->
          result != null
              ? bodyMessage(result, operation)
              : "Missing request body: " + expectedBody(operation) + " is required";
      case INVALID_VALUE -> result == null ? null : bodyMessage(result, operation);
      case UNSUPPORTED_VALUE_FORMAT ->
          "Invalid request body: Content-Type must be "
              + String.join(" or ", operation.getRequestBody().getContent().keySet());
      case ILLEGAL_VALUE, INVALID_VALUE_FORMAT -> "Invalid request body: malformed JSON";
      default -> null;
    };
  }

  private String parameterMessage(OutputUnit result, Parameter parameter) {
    JsonObject schema = parameter.getOpenAPIModel().getJsonObject("schema");
    String title = deref(schema).getString("title");
    if (title != null) {
      return "Invalid " + title.toLowerCase(Locale.ROOT);
    }
    return "Invalid "
        + parameterKind(parameter)
        + ": "
        + describe(leaf(result), schema, parameter.getName());
  }

  private String bodyMessage(OutputUnit result, Operation operation) {
    JsonObject schema =
        operation
            .getRequestBody()
            .getContent()
            .values()
            .iterator()
            .next()
            .getOpenAPIModel()
            .getJsonObject("schema");
    return "Invalid request body: " + describe(leaf(result), schema, "");
  }

  /** The error that names the actual rule broken, not one of the errors wrapping it. */
  private static OutputUnit leaf(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
    OutputUnit unknownProperty = null;
    for (OutputUnit error : errors) {
      String keyword = keyword(error);
      if (keyword.equals("additionalProperties")) {
        // Also reported for a declared property that failed its own schema; a leaf of its own
        // only when nothing else failed.
        unknownProperty = unknownProperty == null ? error : unknownProperty;
      } else if (!WRAPPERS.contains(keyword)) {
        return error;
      }
    }
    return unknownProperty != null ? unknownProperty : result;
  }

  /** One clause: the field, then what is wrong with it. */
  private String describe(OutputUnit error, JsonObject rootSchema, String rootName) {
    String keyword = keyword(error);
    String field = field(rootName, error.getInstanceLocation());
    JsonObject schema = schemaAt(rootSchema, error.getKeywordLocation());
    Object limit = schema.getValue(keyword);
    switch (keyword) {
      case "required":
        Matcher name = QUOTED.matcher(String.valueOf(error.getError()));
        return name.find()
            ? join(field, name.group(1)) + " is required"
            : field + " is missing a field";
      case "additionalProperties":
        return "unexpected property " + field;
      case "type":
        return field.isEmpty()
            ? "expected " + typeName(limit)
            : field + " must be " + typeName(limit);
      default:
        return (field.isEmpty() ? "the value" : field) + " " + rule(keyword, limit, schema);
    }
  }

  private static String rule(String keyword, Object limit, JsonObject schema) {
    switch (keyword) {
      case "format":
        return switch (String.valueOf(limit)) {
          case "email" -> "must be an email address";
          case "uri" -> "must be an absolute URI";
          case "date-time" -> "must be an RFC 3339 date-time";
          default -> "must be a valid " + limit;
        };
      case "minLength":
        return Integer.valueOf(1).equals(limit)
            ? "must not be empty"
            : "must be at least " + limit + " characters";
      case "maxLength":
        return "must be at most " + limit + " characters";
      case "pattern":
        return "must match " + limit;
      case "enum":
        return "must be one of "
            + (limit instanceof JsonArray values
                ? values.stream().map(String::valueOf).collect(Collectors.joining(", "))
                : limit);
      case "const":
        return "must be " + limit;
      case "minItems":
        return "must have at least " + limit + " items";
      case "maxItems":
        return "must have at most " + limit + " items";
      case "uniqueItems":
        return "must not contain duplicates";
      case "minimum":
        return "must be at least " + limit;
      case "maximum":
        return "must be at most " + limit;
      case "exclusiveMinimum":
        return "must be more than " + limit;
      case "exclusiveMaximum":
        return "must be less than " + limit;
      default:
        return schema.isEmpty() ? "is invalid" : "is invalid (" + keyword + ")";
    }
  }

  private static String typeName(Object type) {
    if (type instanceof JsonArray types) {
      return types.stream().map(ValidationMessages::typeName).collect(Collectors.joining(" or "));
    }
    return switch (String.valueOf(type)) {
      case "object" -> "a JSON object";
      case "array" -> "an array";
      case "integer" -> "an integer";
      case "null" -> "null";
      default -> "a " + type;
    };
  }

  /** The schema holding a keyword: the keyword location's parent, following {@code $ref}s. */
  private JsonObject schemaAt(JsonObject rootSchema, String keywordLocation) {
    List<String> segments = segments(keywordLocation);
    Object node = deref(rootSchema);
    for (String segment : segments.subList(0, Math.max(0, segments.size() - 1))) {
      if (segment.equals("$ref")) {
        continue;
      }
      if (node instanceof JsonObject object) {
        node = deref(object.getValue(segment));
      } else if (node instanceof JsonArray array && segment.matches("\\d+")) {
        int index = Integer.parseInt(segment);
        node = index < array.size() ? deref(array.getValue(index)) : null;
      } else {
        node = null;
      }
    }
    return node instanceof JsonObject schema ? schema : new JsonObject();
  }

  private Object deref(Object node) {
    for (int depth = 0; depth < 16 && node instanceof JsonObject object; depth++) {
      String ref = object.getString("$ref");
      if (ref == null || !ref.contains("#")) {
        return node;
      }
      node = JsonPointer.from(ref.substring(ref.indexOf('#') + 1)).queryJson(document);
    }
    return node;
  }

  private JsonObject deref(JsonObject schema) {
    return deref((Object) schema) instanceof JsonObject resolved ? resolved : new JsonObject();
  }

  /** {@code "#/redirect_uris/1"} → {@code redirect_uris[1]}. */
  private static String field(String rootName, String instanceLocation) {
    StringBuilder field = new StringBuilder(rootName);
    for (String segment : segments(instanceLocation)) {
      if (segment.matches("\\d+")) {
        field.append('[').append(segment).append(']');
      } else {
        field.append(field.length() == 0 ? "" : ".").append(segment);
      }
    }
    return field.toString();
  }

  private static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "." + child;
  }

  private static String keyword(OutputUnit error) {
    List<String> segments = segments(error.getKeywordLocation());
    return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
  }

  /** The segments of a JSON pointer, with or without the leading {@code #}. */
  private static List<String> segments(String pointer) {
    List<String> segments = new ArrayList<>();
    if (pointer == null) {
      return segments;
    }
    String path = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment.replace("~1", "/").replace("~0", "~"));
      }
    }
    return segments;
  }

  private static Parameter parameterNamedIn(String message, Operation operation) {
    Matcher named = PARAMETER.matcher(String.valueOf(message));
    if (!named.find()) {
      return null;
    }
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getName().equals(named.group(2))
          && parameter.getIn().name().equalsIgnoreCase(named.group(1))) {
        return parameter;
      }
    }
    return null;
  }

  private static String parameterKind(Parameter parameter) {
    return parameter.getIn().name().toLowerCase(Locale.ROOT) + " parameter";
  }

  private static String expectedBody(Operation operation) {
    return operation.getRequestBody().getContent().containsKey("application/json")
        ? "a JSON object"
        : "a body";
  }
}
