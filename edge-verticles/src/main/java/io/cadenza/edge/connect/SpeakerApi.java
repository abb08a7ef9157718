package io.cadenza.edge.connect;

import io.cadenza.config.error.ValidationException;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.cadenza.edge.player.PlayerErrors;
import io.cadenza.edge.player.PlayerException;
import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.DeviceType;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.Reason;
import io.cadenza.session.SessionChange;
import io.cadenza.session.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The speaker API (Cadenza's extension, {@code /speaker/v1/...}): how a device with no WebSocket,
 * only an HTTP/1.1 client and a JSON parser, takes part in its user's session. It says {@code
 * hello}, long-polls {@code state} (each poll is also its heartbeat), {@code report}s what it plays
 * and sends {@code command}s by name, meaning what the same frames mean on the device socket (see
 * DEVICE-PROTOCOL.md). States given to a speaker carry {@code stream_url}, the signed progressive
 * URL of the current track, since a speaker plays plain HTTP audio.
 *
 * <p>Long polls wait on the same {@link SessionFeeds} as the verticle's sockets: one event bus
 * consumer per user per verticle, whoever listens.
 */
public final class SpeakerApi {

  /** The longest a poll waits for a change. */
  public static final int MAX_WAIT_SECONDS = 30;

  /**
   * The shortest time between two heartbeats of one device to its session: polls answered at once
   * (a change, then the next poll) do not each write one.
   */
  static final long HEARTBEAT_EVERY_MS = 5_000;

  private static final int MAX_TRACKED_DEVICES = 100_000;

  /** The signed progressive stream URL of a track for a user, or null when it has no media. */
  @FunctionalInterface
  public interface StreamUrls {
    Future<String> progressive(String trackId, Principal principal);
  }

  private final Vertx vertx;
  private final Sessions sessions;
  private final SessionFeeds feeds;
  private final DevicePlayer player;
  private final StreamUrls streams;
  private final Clock clock;

  /** The last heartbeat of each user's device sent from here, oldest first. */
  private final Map<String, Long> heartbeats =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > MAX_TRACKED_DEVICES;
        }
      };

  public SpeakerApi(
      Vertx vertx,
      Sessions sessions,
      SessionFeeds feeds,
      DevicePlayer player,
      StreamUrls streams,
      Clock clock) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.feeds = feeds;
    this.player = player;
    this.streams = streams;
    this.clock = clock;
  }

  /**
   * Mounts {@code /speaker/v1/*}; {@code auth} authenticates (a bearer token), {@code body} reads
   * bodies within the edge's limits, {@code limit} rate-limits per principal.
   */
  public void mount(
      Router router,
      Handler<RoutingContext> auth,
      Handler<RoutingContext> limit,
      Handler<RoutingContext> body) {
    router.route("/speaker/v1/*").handler(auth).handler(limit);
    Handler<RoutingContext> read = Scopes.requireAny(List.of(Scopes.USER_READ_PLAYBACK_STATE));
    Handler<RoutingContext> modify =
        Scopes.require(Scopes.USER_READ_PLAYBACK_STATE, Scopes.USER_MODIFY_PLAYBACK_STATE);
    router.post("/speaker/v1/hello").handler(body).handler(read).respond(this::hello);
    router.get("/speaker/v1/state").handler(read).respond(this::state);
    router.post("/speaker/v1/report").handler(body).handler(read).respond(this::report);
    router.post("/speaker/v1/command").handler(body).handler(modify).respond(this::command);
    router.post("/speaker/v1/bye").handler(body).handler(read).respond(this::bye);
  }

  // ---- the endpoints

  /**
   * {@code POST /speaker/v1/hello} {@code {device:{id, name, type?, volume_percent?,
   * supports_volume?}}}: the device joins the session (type {@code Speaker} unless it says
   * another); answers {@code {device_id, server_time, state, devices}}.
   */
  Future<JsonObject> hello(RoutingContext ctx) {
    JsonObject json = body(ctx);
    if (json.getValue("device") instanceof JsonObject device && device.getValue("type") == null) {
      json.put("device", device.copy().put("type", DeviceType.SPEAKER.wire()));
    }
    Device device = parsed(() -> Frames.hello(json, clock.instant())).device();
    Principal principal = principal(ctx);
    return apply(principal.userId(), new Command.Connect(device), OptionalLong.empty())
        .compose(
            outcome -> {
              PlaybackState state = accepted(outcome).state();
              // A socket of the same device id, on any node, gives way to this speaker.
              feeds.announce(principal.userId(), device.id(), "speaker");
              heartbeats.put(key(principal.userId(), device.id()), clock.millis());
              return render(state, principal)
                  .map(
                      rendered ->
                          new JsonObject()
                              .put("device_id", device.id())
                              .put("server_time", clock.millis())
                              .put("state", rendered)
                              .put("devices", player.devices(state).getJsonArray("devices")));
            });
  }

  /**
   * {@code GET /speaker/v1/state?device_id&since&wait}: the state at once when its version is above
   * {@code since} (none: any), else the next change within {@code wait} seconds (0 to {@value
   * #MAX_WAIT_SECONDS}, default 0), else 204. Counts as the device's heartbeat; 404 {@code
   * DEVICE_NOT_FOUND} when the session does not know the device online (say hello again).
   */
  Future<JsonObject> state(RoutingContext ctx) {
    var query = ctx.queryParams();
    String deviceId = deviceId(query.get("device_id"));
    long since = query.get("since") == null ? -1 : whole(query.get("since"), "since");
    long wait = query.get("wait") == null ? 0 : whole(query.get("wait"), "wait");
    if (wait > MAX_WAIT_SECONDS) {
      throw new ValidationException("wait must be 0 to " + MAX_WAIT_SECONDS + " seconds");
    }
    Principal principal = principal(ctx);
    String userId = principal.userId();
    Poll poll = new Poll(since);
    ctx.response().closeHandler(v -> poll.finish(null));
    return feeds
        .subscribe(userId, poll)
        .compose(
            subscription -> {
              poll.subscription = subscription;
              return seen(userId, deviceId);
            })
        .compose(
            state -> {
              if (state.version() > since) {
                poll.finish(state);
              } else if (wait == 0) {
                poll.finish(null);
              } else {
                poll.timer = vertx.setTimer(wait * 1000, id -> poll.finish(null));
              }
              return poll.result.future();
            })
        .onComplete(done -> poll.finish(null))
        .compose(
            state -> {
              if (state == null) {
                ctx.response().setStatusCode(204);
                return Future.succeededFuture();
              }
              return render(state, principal)
                  .map(
                      rendered ->
                          new JsonObject()
                              .put("server_time", clock.millis())
                              .put("state", rendered));
            });
  }

  /**
   * {@code POST /speaker/v1/report} {@code {device_id, reason, item_id, position_ms}}: what the
   * active device plays; published to {@code listening-events} before the answer {@code {version}};
   * 403 {@code NOT_PLAYING_LOCALLY} from another device or about another item.
   */
  Future<JsonObject> report(RoutingContext ctx) {
    JsonObject json = body(ctx);
    String deviceId = deviceId(json.getValue("device_id"));
    ClientFrame.Report report = parsed(() -> Frames.report(json, null));
    String userId = principal(ctx).userId();
    return apply(
            userId,
            new Command.Report(deviceId, report.itemId(), report.kind(), report.positionMs()),
            OptionalLong.empty())
        .compose(
            outcome -> {
              Outcome.Accepted accepted = accepted(outcome);
              return player
                  .listened(accepted.events())
                  .map(v -> new JsonObject().put("version", accepted.state().version()));
            });
  }

  /**
   * {@code POST /speaker/v1/command} {@code {device_id, name, args?, expected_version?}}: a command
   * as the socket's {@code command} frame takes it (play with no device active plays on the
   * speaker); answers {@code {version}} once durable.
   */
  Future<JsonObject> command(RoutingContext ctx) {
    JsonObject json = body(ctx).put("id", "speaker");
    String deviceId = deviceId(json.getValue("device_id"));
    ClientFrame.CommandFrame frame = parsed(() -> Frames.command(json, "speaker"));
    String userId = principal(ctx).userId();
    return state(userId)
        .compose(
            state -> {
              JsonObject args = frame.args().copy();
              if ("play".equals(frame.name())
                  && state.activeDeviceId() == null
                  && args.getValue("device_id") == null) {
                // Play on a device while none is active plays there, as on a socket.
                args.put("device_id", deviceId);
              }
              return player.command(frame.name(), args);
            })
        .compose(command -> apply(userId, command, frame.expectedVersion()))
        .map(outcome -> new JsonObject().put("version", accepted(outcome).state().version()));
  }

  /** {@code POST /speaker/v1/bye} {@code {device_id}}: the device leaves (pausing if it played). */
  Future<Void> bye(RoutingContext ctx) {
    String deviceId = deviceId(body(ctx).getValue("device_id"));
    String userId = principal(ctx).userId();
    return apply(userId, new Command.Disconnect(deviceId), OptionalLong.empty())
        .map(
            outcome -> {
              accepted(outcome);
              heartbeats.remove(key(userId, deviceId));
              ctx.response().setStatusCode(204);
              return null;
            });
  }

  // ---- the session

  /**
   * The state after the device's heartbeat (at most one per {@link #HEARTBEAT_EVERY_MS}), or as it
   * is; fails with 404 {@code DEVICE_NOT_FOUND} when the device is not online in the session.
   */
  private Future<PlaybackState> seen(String userId, String deviceId) {
    String key = key(userId, deviceId);
    Long last = heartbeats.get(key);
    long now = clock.millis();
    if (last != null && now - last < HEARTBEAT_EVERY_MS) {
      return state(userId)
          .map(
              state -> {
                if (state.device(deviceId).filter(Device::online).isEmpty()) {
                  heartbeats.remove(key);
                  throw unknownDevice();
                }
                return state;
              });
    }
    heartbeats.put(key, now);
    return apply(userId, new Command.Heartbeat(deviceId), OptionalLong.empty())
        .map(
            outcome -> {
              if (outcome instanceof Outcome.Rejected rejected
                  && rejected.reason() == Reason.DEVICE_NOT_FOUND) {
                heartbeats.remove(key);
                throw unknownDevice();
              }
              return accepted(outcome).state();
            });
  }

  private Future<Outcome> apply(String userId, Command command, OptionalLong expected) {
    return Future.fromCompletionStage(
        sessions.apply(userId, command, expected), vertx.getOrCreateContext());
  }

  private Future<PlaybackState> state(String userId) {
    return Future.fromCompletionStage(sessions.state(userId), vertx.getOrCreateContext());
  }

  /** The state object, plus {@code stream_url}: the current track's, or null. */
  private Future<JsonObject> render(PlaybackState state, Principal principal) {
    Future<String> stream =
        state.current() == null
            ? Future.succeededFuture()
            : streams.progressive(trackId(state.current().uri()), principal);
    return Future.all(player.render(state, clock.instant()), stream)
        .map(all -> all.<JsonObject>resultAt(0).put("stream_url", all.<String>resultAt(1)));
  }

  private static Outcome.Accepted accepted(Outcome outcome) {
    if (outcome instanceof Outcome.Rejected rejected) {
      throw PlayerErrors.of(rejected);
    }
    return (Outcome.Accepted) outcome;
  }

  /** One long poll: answered by the first change above {@code since}, the timer or a close. */
  private final class Poll implements SessionFeeds.Listener {
    final long since;
    final Promise<PlaybackState> result = Promise.promise();
    SessionFeeds.Subscription subscription;
    Long timer;
    boolean finished;

    Poll(long since) {
      this.since = since;
    }

    @Override
    public void changed(SessionChange change) {
      if (change.state().version() > since) {
        finish(change.state());
      }
    }

    void finish(PlaybackState state) {
      if (subscription != null) {
        subscription.close();
        subscription = null;
      }
      if (finished) {
        return;
      }
      finished = true;
      result.tryComplete(state);
      if (timer != null) {
        vertx.cancelTimer(timer);
      }
    }
  }

  // ---- request values

  private static Principal principal(RoutingContext ctx) {
    return Principal.of(ctx).orElseThrow();
  }

  private static String key(String userId, String deviceId) {
    return userId + '\n' + deviceId;
  }

  private static String trackId(String uri) {
    return uri.substring(uri.lastIndexOf(':') + 1);
  }

  private static PlayerException unknownDevice() {
    return new PlayerException(
        404,
        Reason.DEVICE_NOT_FOUND.name(),
        "The session does not know this device online; say hello again");
  }

  /** A required device id of 1 to 64 characters. */
  private static String deviceId(Object value) {
    if (!(value instanceof String id) || id.isBlank() || id.length() > Device.MAX_ID_LENGTH) {
      throw new ValidationException(
          "device_id is required: a string of 1 to " + Device.MAX_ID_LENGTH + " characters");
    }
    return id;
  }

  private static long whole(String text, String field) {
    String t = text.strip();
    if (!t.matches("\\d{1,15}")) {
      throw new ValidationException(field + " must be a whole number of 0 or more");
    }
    return Long.parseLong(t);
  }

  /** The JSON object body, whatever the content type; 400 when it is none or not one. */
  private static JsonObject body(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    Object parsed;
    try {
      parsed = buffer == null || buffer.length() == 0 ? null : Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new ValidationException("Invalid request body: malformed JSON");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw new ValidationException("Invalid request body: expected a JSON object");
    }
    return object;
  }

  /** A frame parser's value; its refusal as a 400 with the parser's message. */
  private static <T> T parsed(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (FrameException e) {
      throw new ValidationException(e.getMessage());
    }
  }
}
