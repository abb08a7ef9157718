package io.cadenza.analytics;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The wire form of a {@link ListeningEvent} (the {@code listening-events} records' value):
 *
 * <pre>{@code
 * {"schema": 1, "event_id": "<uuid>", "user_id": "...", "track_id": "...", "device_id": "...",
 *  "context_uri": "cadenza:album:..." | null, "started_at": "2026-12-06T10:15:30.123Z",
 *  "ms_played": 183000, "reason_start": "clickrow", "reason_end": "trackdone",
 *  "shuffle": false, "offline": false, "client_ts": "..." | null, "country": "SE" | null}
 * }</pre>
 *
 * Readers accept only schema versions they know; a newer version is refused with its number (the
 * sink sends it to the dead-letter topic rather than guess). The reasons are those of Spotify's
 * streaming history.
 */
public final class ListeningEventJson {

  /** Why a play started. */
  public static final Set<String> REASONS_START =
      Set.of(
          "trackdone",
          "fwdbtn",
          "backbtn",
          "clickrow",
          "playbtn",
          "remote",
          "appload",
          "trackerror",
          "unknown");

  /** Why a play ended. */
  public static final Set<String> REASONS_END =
      Set.of(
          "trackdone",
          "fwdbtn",
          "backbtn",
          "endplay",
          "logout",
          "remote",
          "unexpected-exit",
          "unexpected-exit-while-paused",
          "trackerror",
          "unknown");

  /** A play lasts at most this long (a day). */
  public static final long MAX_MS_PLAYED = 24L * 60 * 60 * 1000;

  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
  private static final int MAX_URI = 256;

  private ListeningEventJson() {}

  /** The event's JSON. */
  public static JsonObject toJson(ListeningEvent e) {
    return new JsonObject()
        .put("schema", ListeningEvent.SCHEMA_VERSION)
        .put("event_id", e.eventId().toString())
        .put("user_id", e.userId())
        .put("track_id", e.trackId())
        .put("device_id", e.deviceId())
        .put("context_uri", e.contextUri())
        .put("started_at", e.startedAt().toString())
        .put("ms_played", e.msPlayed())
        .put("reason_start", e.reasonStart())
        .put("reason_end", e.reasonEnd())
        .put("shuffle", e.shuffle())
        .put("offline", e.offline())
        .put("client_ts", e.clientTimestamp() == null ? null : e.clientTimestamp().toString())
        .put("country", e.country());
  }

  /** The event's JSON as UTF-8 bytes (a Kafka record's value). */
  public static byte[] write(ListeningEvent e) {
    return toJson(e).encode().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads a record's value. */
  public static ListeningEvent read(byte[] value) throws InvalidListeningEvent {
    if (value == null) {
      throw new InvalidListeningEvent("the record has no value");
    }
    JsonObject json;
    try {
      // Straight from the bytes: Jackson reads UTF-8 itself (and refuses malformed UTF-8).
      json = new JsonObject(Buffer.buffer(value));
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidListeningEvent("not a JSON object");
    }
    return fromJson(json);
  }

  /** Reads and checks an event's JSON. */
  public static ListeningEvent fromJson(JsonObject json) throws InvalidListeningEvent {
    Object schema = json.getValue("schema");
    if (!(schema instanceof Number n) || n.doubleValue() != n.intValue()) {
      throw new InvalidListeningEvent("schema: must be the schema version, a whole number");
    }
    if (n.intValue() != ListeningEvent.SCHEMA_VERSION) {
      throw new InvalidListeningEvent(
          "schema: version "
              + n.intValue()
              + " is not supported (this reader knows "
              + ListeningEvent.SCHEMA_VERSION
              + ")");
    }
    UUID eventId = uuid(json, "event_id");
    String userId = id(json, "user_id", true);
    String trackId = id(json, "track_id", true);
    String deviceId = id(json, "device_id", true);
    String contextUri = string(json, "context_uri", false, MAX_URI);
    Instant startedAt = instant(json, "started_at", true);
    long msPlayed = wholeNumber(json, "ms_played");
    if (msPlayed < 0 || msPlayed > MAX_MS_PLAYED) {
      throw new InvalidListeningEvent("ms_played: must be 0 to " + MAX_MS_PLAYED);
    }
    String reasonStart = oneOf(json, "reason_start", REASONS_START);
    String reasonEnd = oneOf(json, "reason_end", REASONS_END);
    boolean shuffle = bool(json, "shuffle");
    boolean offline = bool(json, "offline");
    Instant clientTs = instant(json, "client_ts", false);
    String country = string(json, "country", false, 2);
    if (country != null && !COUNTRY.matcher(country).matches()) {
      throw new InvalidListeningEvent("country: must be two capital letters (ISO 3166-1 alpha-2)");
    }
    return new ListeningEvent(
        eventId,
        userId,
        trackId,
        deviceId,
        contextUri,
        startedAt,
        msPlayed,
        reasonStart,
        reasonEnd,
        shuffle,
        offline,
        clientTs,
        country);
  }

  private static UUID uuid(JsonObject json, String field) throws InvalidListeningEvent {
    String text = string(json, field, true, 36);
    try {
      UUID uuid = UUID.fromString(text);
      if (!uuid.toString().equalsIgnoreCase(text)) {
        throw new IllegalArgumentException(text);
      }
      return uuid;
    } catch (IllegalArgumentException e) {
      throw new InvalidListeningEvent(field + ": must be a UUID");
    }
  }

  private static String id(JsonObject json, String field, boolean required)
      throws InvalidListeningEvent {
    String text = string(json, field, required, 128);
    if (text != null && !isId(text)) {
      throw new InvalidListeningEvent(
          field + ": must be 1-128 letters, digits, '.', '_', ':' or '-'");
    }
    return text;
  }

  /** 1-128 letters, digits, '.', '_', ':' or '-' (a loop: a regex took a tenth of the reading). */
  static boolean isId(String text) {
    int n = text.length();
    if (n < 1 || n > 128) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String string(JsonObject json, String field, boolean required, int maxLength)
      throws InvalidListeningEvent {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw new InvalidListeningEvent(field + ": is required");
      }
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new InvalidListeningEvent(field + ": must be a non-empty string");
    }
    if (text.length() > maxLength) {
      throw new InvalidListeningEvent(field + ": must be at most " + maxLength + " characters");
    }
    return text;
  }

  private static Instant instant(JsonObject json, String field, boolean required)
      throws InvalidListeningEvent {
    String text = string(json, field, required, 40);
    if (text == null) {
      return null;
    }
    Instant instant;
    try {
      instant = parseInstant(text);
    } catch (DateTimeException e) {
      throw new InvalidListeningEvent(
          field + ": must be an ISO-8601 instant, e.g. 2026-12-06T10:15:30Z");
    }
    if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
      throw new InvalidListeningEvent(field + ": must be in the years 2000 to 2099");
    }
    return instant;
  }

  /**
   * {@link Instant#parse}, with a fast path for the form every writer here uses ({@code
   * 2026-12-06T10:15:30Z}, optionally with 1-9 fraction digits): {@code Instant.parse} goes through
   * a general {@code DateTimeFormatter} and took a fifth of the sink's CPU time (two instants per
   * event) in the listening benchmark. Any other text takes the general parser, so what is accepted
   * is exactly what {@code Instant.parse} accepts.
   */
  static Instant parseInstant(String text) {
    int n = text.length();
    if (n >= 20
        && n <= 30
        && n != 21
        && text.charAt(4) == '-'
        && text.charAt(7) == '-'
        && text.charAt(10) == 'T'
        && text.charAt(13) == ':'
        && text.charAt(16) == ':'
        && text.charAt(n - 1) == 'Z'
        && (n == 20 || text.charAt(19) == '.')) {
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 7);
      int day = digits(text, 8, 10);
      int hour = digits(text, 11, 13);
      int minute = digits(text, 14, 16);
      int second = digits(text, 17, 19);
      int nanos = 0;
      if (n > 20) {
        int fraction = n - 21;
        nanos = digits(text, 20, n - 1);
        for (int i = fraction; i < 9; i++) {
          nanos *= 10;
        }
      }
      if (year >= 0
          && month >= 0
          && day >= 0
          && hour >= 0
          && minute >= 0
          && second >= 0
          && nanos >= 0) {
        try {
          return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
              .toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeException outOfRange) {
          // 24:00:00, a leap second, 30 February...: the general parser decides.
        }
      }
    }
    return Instant.parse(text);
  }

  /** The decimal number in text[from, to), or -1 if a character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static long wholeNumber(JsonObject json, String field) throws InvalidListeningEvent {
    Object value = json.getValue(field);
    if (value == null) {
      throw new InvalidListeningEvent(field + ": is required");
    }
    if (!(value instanceof Number n)
        || (!(n instanceof Integer || n instanceof Long) && n.doubleValue() != n.longValue())) {
      throw new InvalidListeningEvent(field + ": must be a whole number");
    }
    return n.longValue();
  }

  private static String oneOf(JsonObject json, String field, Set<String> allowed)
      throws InvalidListeningEvent {
    String text = string(json, field, true, 40);
    if (!allowed.contains(text)) {
      throw new InvalidListeningEvent(
          field + ": must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
    return text;
  }

  private static boolean bool(JsonObject json, String field) throws InvalidListeningEvent {
    Object value = json.getValue(field);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw new InvalidListeningEvent(field + ": must be true or false");
    }
    return b;
  }
}
