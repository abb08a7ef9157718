package io.cadenza.edge.connect;

import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.DeviceType;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The device protocol's frames (DEVICE-PROTOCOL.md): parsing and checking what devices send, and
 * building what the server sends. Text frames holding one JSON object with a {@code type}; unknown
 * fields are ignored.
 */
final class Frames {

  /** The {@code reason} of an error frame for a frame that is not a valid message. */
  static final String BAD_FRAME = "BAD_FRAME";

  /** The {@code reason} of an error frame for a message of a type the server does not know. */
  static final String UNKNOWN_TYPE = "UNKNOWN_TYPE";

  /** The command names of a {@code command} frame (the player API's, one each). */
  static final Set<String> COMMANDS =
      Set.of(
          "play",
          "pause",
          "resume",
          "seek",
          "next",
          "previous",
          "shuffle",
          "repeat",
          "volume",
          "queue_add",
          "transfer");

  private static final int MAX_COMMAND_ID = 64;

  private Frames() {}

  /** Parses one text frame; throws {@link FrameException} for anything not a valid message. */
  static ClientFrame parse(String text, Instant now) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw FrameException.bad(null, "A frame is one JSON object");
    }
    String id = commandId(json);
    Object type = json.getValue("type");
    if (!(type instanceof String name)) {
      throw FrameException.bad(id, "A frame needs a string type");
    }
    return switch (name) {
      case "hello" -> hello(json, now);
      case "command" -> command(json, id);
      case "report" -> report(json, id);
      case "time_sync" -> new ClientFrame.TimeSync(number(json, "t0", null));
      default ->
          throw new FrameException(id, 400, UNKNOWN_TYPE, "Unknown frame type: " + clip(name));
    };
  }

  static ClientFrame.Hello hello(JsonObject json, Instant now) {
    if (!(json.getValue("device") instanceof JsonObject device)) {
      throw FrameException.bad(null, "hello needs a device object");
    }
    String id = string(device, "id", null);
    String name = string(device, "name", null);
    if (id == null || id.isBlank() || id.length() > Device.MAX_ID_LENGTH) {
      throw FrameException.bad(
          null, "device.id is a string of 1 to " + Device.MAX_ID_LENGTH + " characters");
    }
    if (name == null || name.isBlank() || name.length() > Device.MAX_NAME_LENGTH) {
      throw FrameException.bad(
          null, "device.name is a string of 1 to " + Device.MAX_NAME_LENGTH + " characters");
    }
    DeviceType type = DeviceType.parse(string(device, "type", null));
    long volume = integer(device, "volume_percent", null, 100);
    if (volume < 0 || volume > 100) {
      throw FrameException.bad(null, "device.volume_percent is 0 to 100");
    }
    Object supports = device.getValue("supports_volume");
    if (supports != null && !(supports instanceof Boolean)) {
      throw FrameException.bad(null, "device.supports_volume is a boolean");
    }
    return new ClientFrame.Hello(
        new Device(
            id, name.strip(), type, (int) volume, !Boolean.FALSE.equals(supports), true, now));
  }

  static ClientFrame.CommandFrame command(JsonObject json, String id) {
    if (id == null) {
      throw FrameException.bad(null, "A command needs an id (a string or number)");
    }
    String name = string(json, "name", id);
    if (name == null || !COMMANDS.contains(name)) {
      throw new FrameException(
          id,
          400,
          BAD_FRAME,
          "Unknown command: "
              + (name == null ? "(none)" : clip(name))
              + "; one of "
              + String.join(", ", COMMANDS.stream().sorted().toList()));
    }
    Object args = json.getValue("args");
    if (args != null && !(args instanceof JsonObject)) {
      throw FrameException.bad(id, "args is a JSON object");
    }
    OptionalLong expected = OptionalLong.empty();
    if (json.getValue("expected_version") != null) {
      long version = integer(json, "expected_version", id, 0);
      if (version < 0) {
        throw FrameException.bad(id, "expected_version is not negative");
      }
      expected = OptionalLong.of(version);
    }
    return new ClientFrame.CommandFrame(
        id, name, args == null ? new JsonObject() : (JsonObject) args, expected);
  }

  static ClientFrame.Report report(JsonObject json, String id) {
    String reason = string(json, "reason", null);
    Command.ReportKind kind;
    try {
      kind = Command.ReportKind.valueOf(reason == null ? "" : reason.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw FrameException.bad(
          id, "report.reason is one of started, progress, paused, completed, skipped");
    }
    String itemId = string(json, "item_id", null);
    if (itemId == null || itemId.isBlank() || itemId.length() > MAX_COMMAND_ID) {
      throw FrameException.bad(id, "report.item_id names the item of the state being played");
    }
    long position = integer(json, "position_ms", null, -1);
    if (position < 0) {
      throw FrameException.bad(id, "report.position_ms is a non-negative integer");
    }
    return new ClientFrame.Report(id, itemId, kind, position);
  }

  /** The command id, a string or an integer, as a string; null when absent or unusable. */
  private static String commandId(JsonObject json) {
    Object id = json.getValue("id");
    if (id instanceof String s && !s.isEmpty() && s.length() <= MAX_COMMAND_ID) {
      return s;
    }
    if (id instanceof Integer || id instanceof Long) {
      return id.toString();
    }
    return null;
  }

  private static String string(JsonObject json, String field, String id) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw FrameException.bad(id, field + " is a string");
    }
    return s;
  }

  private static long integer(JsonObject json, String field, String id, long absent) {
    Object value = json.getValue(field);
    if (value == null) {
      return absent;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw FrameException.bad(id, field + " is an integer");
  }

  private static double number(JsonObject json, String field, String id) {
    Object value = json.getValue(field);
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw FrameException.bad(id, field + " is a number");
    }
    return n.doubleValue();
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  // ---- server frames

  static JsonObject welcome(String deviceId, long serverTime, JsonObject state) {
    return new JsonObject()
        .put("type", "welcome")
        .put("device_id", deviceId)
        .put("server_time", serverTime)
        .put("state", state);
  }

  /**
   * Jackson's streaming encoder: a JsonObject's default encoding goes through an ObjectMapper per
   * nested object, many times the garbage of this for the same text.
   */
  private static final JacksonCodec CODEC = new JacksonCodec();

  /** A frame's text. */
  static String encode(JsonObject frame) {
    return CODEC.toString(frame, false);
  }

  static JsonObject state(JsonObject state) {
    return new JsonObject().put("type", "state").put("state", state);
  }

  static JsonObject devices(JsonObject devices) {
    return devices.copy().put("type", "devices");
  }

  static JsonObject ack(String id, long version) {
    return new JsonObject().put("type", "ack").put("id", id).put("version", version);
  }

  static JsonObject error(String id, int status, String reason, String message) {
    JsonObject error =
        new JsonObject()
            .put("type", "error")
            .put("status", status)
            .put("reason", reason)
            .put("message", message);
    if (id != null) {
      error.put("id", id);
    }
    return error;
  }

  static JsonObject timeSync(double t0, long t1, long t2) {
    return new JsonObject().put("type", "time_sync").put("t0", t0).put("t1", t1).put("t2", t2);
  }
}
