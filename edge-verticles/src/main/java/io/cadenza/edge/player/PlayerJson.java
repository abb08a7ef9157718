package io.cadenza.edge.player;

import io.cadenza.playback.Device;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.QueueItem;
import io.cadenza.playback.RepeatMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A playback state in Spotify's player shapes, for the REST player API, the device WebSocket and
 * the speaker API alike.
 *
 * <ul>
 *   <li>{@link #playback}: the CurrentlyPlayingContext of {@code GET /v1/me/player}, plus Cadenza's
 *       {@code version} (the state's), {@code item_id} (the current entry's stable id) and {@code
 *       transfer} (a transfer the target has not confirmed yet, else null).
 *   <li>{@link #currentlyPlaying}: the CurrentlyPlaying object of {@code GET
 *       /v1/me/player/currently-playing}, with the same Cadenza fields.
 *   <li>{@link #devices}: {@code {"devices":[...]}}, the online devices.
 *   <li>{@link #queue}: {@code {"currently_playing", "queue"}}, the next {@value #QUEUE_LENGTH}
 *       entries: the user's queue first, then the context in play order.
 * </ul>
 *
 * Tracks are rendered from the catalog (near-cached reads), hence the futures. A track gone from
 * the catalog since it was queued renders as {@code null} (as Spotify renders what it cannot show).
 */
public final class PlayerJson {

  /** How many upcoming entries the queue object lists. */
  public static final int QUEUE_LENGTH = 20;

  private final PlayerCatalog catalog;
  private final String baseUrl;

  /**
   * @param catalog where track objects come from
   * @param baseUrl the node's public URL without trailing slash, for the context's addresses
   */
  public PlayerJson(PlayerCatalog catalog, String baseUrl) {
    this.catalog = catalog;
    this.baseUrl = baseUrl;
  }

  /** The CurrentlyPlayingContext of {@code state} at server time {@code now}, Cadenza fields in. */
  public Future<JsonObject> playback(PlaybackState state, Instant now) {
    return current(state).map(item -> playback(state, now, item));
  }

  /** {@link #playback(PlaybackState, Instant)} with the current track object already read. */
  public JsonObject playback(PlaybackState state, Instant now, JsonObject item) {
    JsonObject json = new JsonObject();
    json.put("device", state.activeDevice().map(d -> device(d, true)).orElse(null));
    json.put("repeat_state", repeatState(state.repeat()));
    json.put("shuffle_state", state.shuffle());
    json.put("context", context(state.contextUri()));
    json.put("timestamp", now.toEpochMilli());
    json.put("progress_ms", state.current() == null ? null : state.positionAt(now));
    json.put("is_playing", state.playing());
    json.put("item", item);
    json.put("currently_playing_type", state.current() == null ? "unknown" : "track");
    json.put("actions", actions(state));
    cadenzaFields(json, state);
    return json;
  }

  /** The CurrentlyPlaying object of {@code state} at {@code now}, Cadenza fields in. */
  public Future<JsonObject> currentlyPlaying(PlaybackState state, Instant now) {
    return current(state)
        .map(
            item -> {
              JsonObject json = new JsonObject();
              json.put("context", context(state.contextUri()));
              json.put("timestamp", now.toEpochMilli());
              json.put("progress_ms", state.current() == null ? null : state.positionAt(now));
              json.put("is_playing", state.playing());
              json.put("item", item);
              json.put("currently_playing_type", state.current() == null ? "unknown" : "track");
              json.put("actions", actions(state));
              cadenzaFields(json, state);
              return json;
            });
  }

  /** {@code {"devices":[...]}}: the user's online devices, in the order they first connected. */
  public static JsonObject devices(PlaybackState state) {
    JsonArray devices = new JsonArray();
    for (Device device : state.devices()) {
      if (device.online()) {
        devices.add(device(device, device.id().equals(state.activeDeviceId())));
      }
    }
    return new JsonObject().put("devices", devices);
  }

  /** Spotify's device object. */
  public static JsonObject device(Device device, boolean active) {
    return new JsonObject()
        .put("id", device.id())
        .put("is_active", active)
        .put("is_private_session", false)
        .put("is_restricted", false)
        .put("name", device.name())
        .put("type", device.type().wire())
        .put("volume_percent", device.volumePercent())
        .put("supports_volume", device.canControlVolume());
  }

  /**
   * The queue object: the current track and the next {@value #QUEUE_LENGTH} entries, each with
   * Cadenza's {@code item_id}s alongside ({@code currently_playing_item_id}, {@code
   * queue_item_ids}), so a client can tell two entries of the same track apart.
   */
  public Future<JsonObject> queue(PlaybackState state) {
    List<QueueItem> next = upNext(state, QUEUE_LENGTH);
    List<String> ids = new ArrayList<>();
    if (state.current() != null) {
      ids.add(trackId(state.current().uri()));
    }
    next.forEach(item -> ids.add(trackId(item.uri())));
    return tracks(ids)
        .map(
            tracks -> {
              JsonArray queue = new JsonArray();
              JsonArray itemIds = new JsonArray();
              for (QueueItem item : next) {
                queue.add(tracks.get(trackId(item.uri())));
                itemIds.add(item.itemId());
              }
              return new JsonObject()
                  .put(
                      "currently_playing",
                      state.current() == null ? null : tracks.get(trackId(state.current().uri())))
                  .put("queue", queue)
                  .put(
                      "currently_playing_item_id",
                      state.current() == null ? null : state.current().itemId())
                  .put("queue_item_ids", itemIds);
            });
  }

  /**
   * What plays after the current item, at most {@code max}: the user's queue, then the rest of the
   * context in play order (from its start again with repeat context, up to the current entry).
   */
  public static List<QueueItem> upNext(PlaybackState state, int max) {
    List<QueueItem> next = new ArrayList<>();
    for (QueueItem item : state.queued()) {
      if (next.size() >= max) {
        return next;
      }
      next.add(item);
    }
    List<Integer> order = state.order();
    int size = order.size();
    int from = state.orderPosition() + 1;
    int count = state.repeat() == RepeatMode.CONTEXT ? size - 1 : size - from;
    if (state.orderPosition() < 0 && state.repeat() == RepeatMode.CONTEXT) {
      count = size;
    }
    for (int i = 0; i < count && next.size() < max; i++) {
      next.add(state.items().get(order.get((from + i) % size)));
    }
    return next;
  }

  /** Spotify's {@code repeat_state}: off, context or track. */
  public static String repeatState(RepeatMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  /** The track id of a track URI ({@code cadenza:track:ID}); the URI itself if it is no such. */
  static String trackId(String uri) {
    int colon = uri.lastIndexOf(':');
    return colon < 0 ? uri : uri.substring(colon + 1);
  }

  /** Spotify's context object of a context URI, or null. */
  public JsonObject context(String uri) {
    if (uri == null) {
      return null;
    }
    String[] parts = uri.split(":", -1);
    if (parts.length != 3) {
      return new JsonObject().put("uri", uri).putNull("type").putNull("href");
    }
    String type = parts[1];
    String id = parts[2];
    return new JsonObject()
        .put("type", type)
        .put("href", baseUrl + "/v1/" + type + "s/" + id)
        .put("external_urls", new JsonObject().put("spotify", baseUrl + "/" + type + "/" + id))
        .put("uri", uri);
  }

  /** Spotify's {@code actions}: the disallowed ones, each {@code true}. */
  static JsonObject actions(PlaybackState state) {
    JsonObject disallows = new JsonObject();
    boolean nothing = state.current() == null || state.activeDeviceId() == null;
    if (nothing || !state.playing()) {
      disallows.put("pausing", true);
    }
    if (nothing || state.playing()) {
      disallows.put("resuming", true);
    }
    if (nothing) {
      disallows.put("seeking", true);
      disallows.put("skipping_prev", true);
      disallows.put("toggling_repeat_context", true);
      disallows.put("toggling_repeat_track", true);
      disallows.put("toggling_shuffle", true);
    }
    if (nothing || upNext(state, 1).isEmpty()) {
      disallows.put("skipping_next", true);
    }
    return new JsonObject().put("disallows", disallows);
  }

  private static void cadenzaFields(JsonObject json, PlaybackState state) {
    json.put("version", state.version());
    json.put("item_id", state.current() == null ? null : state.current().itemId());
    PlaybackState.PendingTransfer pending = state.pendingTransfer();
    json.put(
        "transfer",
        pending == null
            ? null
            : new JsonObject()
                .put("device_id", pending.deviceId())
                .put("from_device_id", pending.fromDeviceId())
                .put("requested_at", pending.requestedAt().toEpochMilli())
                .put("confirmed", false)
                .put("timed_out", pending.timedOut()));
  }

  private Future<JsonObject> current(PlaybackState state) {
    if (state.current() == null) {
      return Future.succeededFuture(null);
    }
    String id = trackId(state.current().uri());
    return tracks(List.of(id)).map(tracks -> tracks.get(id));
  }

  private Future<Map<String, JsonObject>> tracks(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return catalog.trackObjects(ids);
  }
}
