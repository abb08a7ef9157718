package io.cadenza.edge.player;

import io.cadenza.catalog.model.Track;
import io.cadenza.config.error.NotFoundException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.PlaybackSession;
import io.cadenza.playback.QueueItem;
import io.cadenza.playback.RepeatMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns a player command by name with JSON arguments, as the REST player endpoints, the device
 * WebSocket's {@code command} frame and the speaker API's {@code /command} take them, into a
 * playback {@link Command}:
 *
 * <ul>
 *   <li>{@code play} {context_uri?, uris?, offset? {position|uri}, position_ms?, device_id?}: a
 *       context ({@code spotify:album:ID} or {@code cadenza:album:ID}: the album's tracks; an
 *       artist: its top tracks) or loose tracks ({@code uris}, at most {@value #MAX_URIS}); with
 *       neither it resumes, as Spotify's does.
 *   <li>{@code pause}, {@code resume}, {@code next}, {@code previous} {device_id?}
 *   <li>{@code seek} {position_ms, device_id?}; {@code shuffle} {state}; {@code repeat} {state:
 *       off|context|track}; {@code volume} {volume_percent}; {@code queue_add} {uri}
 *   <li>{@code transfer} {device_ids: [one id]} or {device_id}, and {@code play?}
 * </ul>
 *
 * Values may come as JSON types or as the strings of a query ({@code "true"}, {@code "25000"}), as
 * real clients send them. A malformed argument fails with {@link ValidationException} (400), an
 * unknown track, album or artist with {@link NotFoundException} (404); both say what was wrong.
 * Every queue entry gets a fresh id, and each command its own shuffle seed.
 */
public final class PlayerCommands {

  /** The command names, as the device protocol lists them. */
  public static final Set<String> NAMES =
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

  /** Most track URIs one play command takes. */
  public static final int MAX_URIS = 500;

  private final PlayerCatalog catalog;
  private final Supplier<String> itemIds;
  private final LongSupplier seeds;

  /**
   * @param itemIds makes the id of each new queue entry (unique)
   * @param seeds makes the shuffle seed of each command
   */
  public PlayerCommands(PlayerCatalog catalog, Supplier<String> itemIds, LongSupplier seeds) {
    this.catalog = catalog;
    this.itemIds = itemIds;
    this.seeds = seeds;
  }

  /** Random UUIDs for entries and a secure random seed per command. */
  public static PlayerCommands create(PlayerCatalog catalog) {
    java.security.SecureRandom random = new java.security.SecureRandom();
    return new PlayerCommands(catalog, () -> UUID.randomUUID().toString(), random::nextLong);
  }

  /** The command {@code name} with {@code args} (null: none). */
  public Future<Command> command(String name, JsonObject args) {
    JsonObject a = args == null ? new JsonObject() : args;
    try {
      if (name == null || !NAMES.contains(name)) {
        throw new ValidationException(
            "Unknown command " + (name == null ? "(none)" : quoted(name)) + "; one of " + names());
      }
      String device = deviceId(a);
      return switch (name) {
        case "play" -> play(a, device);
        case "pause" -> done(new Command.Pause(device));
        case "resume" -> done(new Command.Resume(device));
        case "next" -> done(new Command.Next(device));
        case "previous" -> done(new Command.Previous(device));
        case "seek" -> done(new Command.Seek(device, nonNegative(a, "position_ms", true)));
        case "shuffle" ->
            done(new Command.SetShuffle(device, bool(a, "state", true), seeds.getAsLong()));
        case "repeat" -> done(new Command.SetRepeat(device, repeat(a)));
        case "volume" -> done(new Command.SetVolume(device, volume(a)));
        case "queue_add" -> queueAdd(a, device);
        case "transfer" -> done(transfer(a));
        default -> throw new IllegalStateException(name);
      };
    } catch (ValidationException | NotFoundException e) {
      return Future.failedFuture(e);
    }
  }

  // ---- play and queue

  private Future<Command> play(JsonObject a, String device) {
    Object contextUri = a.getValue("context_uri");
    Object uris = a.getValue("uris");
    JsonObject offset = offset(a);
    long position = a.getValue("position_ms") == null ? 0 : nonNegative(a, "position_ms", true);
    if (contextUri != null && uris != null) {
      throw new ValidationException("Give context_uri or uris, not both");
    }
    if (contextUri == null && uris == null) {
      if (offset != null || a.getValue("position_ms") != null) {
        throw new ValidationException("offset and position_ms need a context_uri or uris");
      }
      return done(new Command.Resume(device));
    }
    Future<List<Track>> tracks;
    String context;
    if (contextUri != null) {
      if (!(contextUri instanceof String text)) {
        throw new ValidationException("context_uri must be a string");
      }
      Uri uri = Uri.parse(text, "context_uri");
      context = uri.cadenza();
      tracks =
          switch (uri.type()) {
            case "album" ->
                catalog
                    .albumTracks(uri.id())
                    .map(found -> found.orElseThrow(() -> notFound("album", text)));
            case "artist" ->
                catalog
                    .artistTopTracks(uri.id())
                    .map(found -> found.orElseThrow(() -> notFound("artist", text)));
            case "playlist" -> throw noPlaylists();
            case "track" ->
                throw new ValidationException(
                    "context_uri must be an album or an artist; play tracks with uris");
            default ->
                throw new ValidationException(
                    "Unsupported context_uri type " + quoted(uri.type()) + ": album or artist");
          };
    } else {
      context = null;
      tracks = looseTracks(uris);
    }
    return tracks.map(
        list -> {
          if (list.isEmpty()) {
            throw new ValidationException("Nothing to play: " + context + " has no tracks");
          }
          if (list.size() > PlaybackSession.MAX_ITEMS) {
            list = list.subList(0, PlaybackSession.MAX_ITEMS);
          }
          List<QueueItem> items = new ArrayList<>(list.size());
          for (Track track : list) {
            items.add(item(track));
          }
          int start = start(offset, items);
          return new Command.Play(device, context, items, start, position, seeds.getAsLong());
        });
  }

  /** The tracks of {@code uris}, in their order (repeats kept); 404 naming an unknown one. */
  private Future<List<Track>> looseTracks(Object uris) {
    if (!(uris instanceof JsonArray array)) {
      throw new ValidationException("uris must be an array of track URIs");
    }
    if (array.isEmpty() || array.size() > MAX_URIS) {
      throw new ValidationException("uris must list 1 to " + MAX_URIS + " track URIs");
    }
    List<String> ids = new ArrayList<>(array.size());
    List<String> texts = new ArrayList<>(array.size());
    for (Object value : array) {
      if (!(value instanceof String text)) {
        throw new ValidationException("uris must be an array of track URIs");
      }
      ids.add(trackUri(text, "uris").id());
      texts.add(text);
    }
    return catalog
        .tracks(ids)
        .map(
            (Map<String, Track> found) -> {
              List<Track> out = new ArrayList<>(ids.size());
              for (int i = 0; i < ids.size(); i++) {
                Track track = found.get(ids.get(i));
                if (track == null) {
                  throw notFound("track", texts.get(i));
                }
                out.add(track);
              }
              return out;
            });
  }

  private Future<Command> queueAdd(JsonObject a, String device) {
    String text = string(a, "uri", true);
    Uri uri = trackUri(text, "uri");
    return catalog
        .tracks(List.of(uri.id()))
        .map(
            found -> {
              Track track =
                  Optional.ofNullable(found.get(uri.id()))
                      .orElseThrow(() -> notFound("track", text));
              return new Command.AddToQueue(device, item(track));
            });
  }

  private QueueItem item(Track track) {
    return new QueueItem(itemIds.get(), Base62Id.uri("track", track.id()), track.durationMs());
  }

  /** The offset object, or null. */
  private static JsonObject offset(JsonObject a) {
    Object value = a.getValue("offset");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject offset)) {
      throw new ValidationException("offset must be an object with position or uri");
    }
    if (offset.getValue("position") != null && offset.getValue("uri") != null) {
      throw new ValidationException("offset takes position or uri, not both");
    }
    if (offset.getValue("position") == null && offset.getValue("uri") == null) {
      throw new ValidationException("offset must have position or uri");
    }
    return offset;
  }

  /** The index of the item to start at. */
  private static int start(JsonObject offset, List<QueueItem> items) {
    if (offset == null) {
      return 0;
    }
    if (offset.getValue("position") != null) {
      long position = nonNegative(offset, "position", true);
      if (position >= items.size()) {
        throw new ValidationException(
            "offset.position must be below the number of items (" + items.size() + ")");
      }
      return (int) position;
    }
    String text = string(offset, "uri", true);
    String wanted = trackUri(text, "offset.uri").cadenza();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).uri().equals(wanted)) {
        return i;
      }
    }
    throw new ValidationException("offset.uri " + quoted(text) + " is not in what is played");
  }

  // ---- other commands

  private static Command.Transfer transfer(JsonObject a) {
    Object ids = a.getValue("device_ids");
    String target;
    if (ids != null) {
      if (!(ids instanceof JsonArray array)
          || array.size() != 1
          || !(array.getValue(0) instanceof String)) {
        throw new ValidationException("device_ids must list exactly one device id");
      }
      target = checkDeviceId(array.getString(0), "device_ids");
    } else {
      target = deviceId(a);
      if (target == null) {
        throw new ValidationException("device_ids must list exactly one device id");
      }
    }
    Boolean play = a.getValue("play") == null ? null : bool(a, "play", true);
    return new Command.Transfer(target, play);
  }

  private static RepeatMode repeat(JsonObject a) {
    String state = string(a, "state", true);
    return switch (state.strip().toLowerCase(Locale.ROOT)) {
      case "off" -> RepeatMode.OFF;
      case "context" -> RepeatMode.CONTEXT;
      case "track" -> RepeatMode.TRACK;
      default -> throw new ValidationException("state must be track, context or off");
    };
  }

  private static int volume(JsonObject a) {
    long percent = nonNegative(a, "volume_percent", true);
    if (percent > 100) {
      throw new ValidationException("volume_percent must be 0 to 100");
    }
    return (int) percent;
  }

  // ---- values

  /** The optional {@code device_id}. */
  private static String deviceId(JsonObject a) {
    Object value = a.getValue("device_id");
    if (value == null) {
      return null;
    }
    if (!(value instanceof String id)) {
      throw new ValidationException("device_id must be a string");
    }
    return checkDeviceId(id, "device_id");
  }

  private static String checkDeviceId(String id, String field) {
    if (id.isBlank() || id.length() > Device.MAX_ID_LENGTH) {
      throw new ValidationException(
          field + " must be a device id of 1 to " + Device.MAX_ID_LENGTH + " characters");
    }
    return id;
  }

  private static String string(JsonObject a, String field, boolean required) {
    Object value = a.getValue(field);
    if (value == null) {
      if (required) {
        throw new ValidationException("Missing required parameter: " + field);
      }
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new ValidationException(field + " must be a non-empty string");
    }
    return text;
  }

  /** A whole number of 0 or more, as a JSON number or a decimal string. */
  static long nonNegative(JsonObject a, String field, boolean required) {
    Object value = a.getValue(field);
    if (value == null) {
      if (required) {
        throw new ValidationException("Missing required parameter: " + field);
      }
      return 0;
    }
    long number;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      number = ((Number) value).longValue();
    } else if (value instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 1e15) {
      number = n.longValue();
    } else if (value instanceof String text && text.strip().matches("-?\\d{1,15}")) {
      number = Long.parseLong(text.strip());
    } else {
      throw new ValidationException(field + " must be a whole number");
    }
    if (number < 0) {
      throw new ValidationException(field + " must not be negative");
    }
    return number;
  }

  /** A boolean, as JSON or as the strings {@code true} and {@code false} (any case). */
  static boolean bool(JsonObject a, String field, boolean required) {
    Object value = a.getValue(field);
    if (value == null) {
      if (required) {
        throw new ValidationException("Missing required parameter: " + field);
      }
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String text) {
      String t = text.strip().toLowerCase(Locale.ROOT);
      if (t.equals("true")) {
        return true;
      }
      if (t.equals("false")) {
        return false;
      }
    }
    throw new ValidationException(field + " must be true or false");
  }

  // ---- URIs

  /** A catalog URI: {@code spotify:TYPE:ID} or {@code cadenza:TYPE:ID}, ID base62. */
  record Uri(String type, String id) {

    static Uri parse(String text, String field) {
      String[] parts = text.strip().split(":", -1);
      if (parts.length != 3
          || !(parts[0].equals("spotify") || parts[0].equals("cadenza"))
          || parts[1].isEmpty()) {
        throw new ValidationException(
            field + ": " + quoted(text) + " is not a URI like spotify:album:<id>");
      }
      String type = parts[1].toLowerCase(Locale.ROOT);
      if (type.equals("playlist")) {
        throw noPlaylists();
      }
      if (!Base62Id.isValid(parts[2])) {
        throw new ValidationException(field + ": " + quoted(text) + " has an invalid base62 id");
      }
      return new Uri(type, parts[2]);
    }

    String cadenza() {
      return Base62Id.uri(type, id);
    }
  }

  private static Uri trackUri(String text, String field) {
    Uri uri = Uri.parse(text, field);
    if (!uri.type().equals("track")) {
      throw new ValidationException(field + ": " + quoted(text) + " is not a track URI");
    }
    return uri;
  }

  private static ValidationException noPlaylists() {
    return new ValidationException(
        "Playlists are not available in Cadenza yet; play an album, an artist or tracks");
  }

  private static NotFoundException notFound(String type, String uri) {
    return new NotFoundException("No such " + type + ": " + quoted(uri));
  }

  private static String quoted(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return "'" + shown + "'";
  }

  private static String names() {
    return String.join(", ", NAMES.stream().sorted().toList());
  }

  private static Future<Command> done(Command command) {
    return Future.succeededFuture(command);
  }
}
