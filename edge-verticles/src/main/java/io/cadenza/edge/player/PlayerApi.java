package io.cadenza.edge.player;

import static io.cadenza.edge.auth.Scopes.USER_MODIFY_PLAYBACK_STATE;
import static io.cadenza.edge.auth.Scopes.USER_READ_CURRENTLY_PLAYING;
import static io.cadenza.edge.auth.Scopes.USER_READ_PLAYBACK_STATE;

import io.cadenza.config.error.ValidationException;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.cadenza.playback.Command;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import io.cadenza.session.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/**
 * Spotify's player endpoints ({@code /v1/me/player/...}) on the user's playback session. A command
 * here means what the same command means on a device socket: its name and arguments go through
 * {@link PlayerCommands}, the session applies it ({@link Sessions#apply}, complete once durable),
 * and a refusal becomes Spotify's player error through {@link PlayerErrors} ({@code 404
 * NO_ACTIVE_DEVICE}, ...). Commands answer 204, as Spotify's do.
 *
 * <p>What real clients send is taken as Spotify takes it: an empty body or none on {@code PUT
 * /play} (resume), a JSON body without a content type, {@code device_id} as a query parameter, an
 * empty {@code device_id=} as none. Cadenza's extension: {@code expected_version} (a query
 * parameter of every command) refuses the command with 409 {@code VERSION_CONFLICT} when the state
 * has moved on.
 */
public final class PlayerApi {

  /** Spotify's scopes of reading the player (either one for currently-playing and the queue). */
  private static final List<String> READ_PLAYING =
      List.of(USER_READ_CURRENTLY_PLAYING, USER_READ_PLAYBACK_STATE);

  private final Vertx vertx;
  private final Sessions sessions;
  private final PlayerJson json;
  private final PlayerCommands commands;
  private final Clock clock;

  public PlayerApi(
      Vertx vertx, Sessions sessions, PlayerJson json, PlayerCommands commands, Clock clock) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.json = json;
    this.commands = commands;
    this.clock = clock;
  }

  /**
   * Mounts the player endpoints; after the {@code /v1/*} authentication. {@code body} reads request
   * bodies within the edge's limits.
   */
  public void mount(Router router, Handler<RoutingContext> body) {
    Handler<RoutingContext> read = Scopes.requireAny(List.of(USER_READ_PLAYBACK_STATE));
    Handler<RoutingContext> readPlaying = Scopes.requireAny(READ_PLAYING);
    Handler<RoutingContext> modify = Scopes.requireAny(List.of(USER_MODIFY_PLAYBACK_STATE));

    router.get("/v1/me/player").handler(read).respond(this::playback);
    router.put("/v1/me/player").handler(body).handler(modify).respond(this::transfer);
    router.get("/v1/me/player/devices").handler(read).respond(this::devices);
    router
        .get("/v1/me/player/currently-playing")
        .handler(readPlaying)
        .respond(this::currentlyPlaying);
    router.put("/v1/me/player/play").handler(body).handler(modify).respond(this::play);
    router
        .put("/v1/me/player/pause")
        .handler(body)
        .handler(modify)
        .respond(ctx -> command(ctx, "pause"));
    router
        .post("/v1/me/player/next")
        .handler(body)
        .handler(modify)
        .respond(ctx -> command(ctx, "next"));
    router
        .post("/v1/me/player/previous")
        .handler(body)
        .handler(modify)
        .respond(ctx -> command(ctx, "previous"));
    router
        .put("/v1/me/player/seek")
        .handler(body)
        .handler(modify)
        .respond(ctx -> command(ctx, "seek", "position_ms"));
    router
        .put("/v1/me/player/repeat")
        .handler(body)
        .handler(modify)
        .respond(ctx -> command(ctx, "repeat", "state"));
    router
        .put("/v1/me/player/shuffle")
        .handler(body)
        .handler(modify)
        .respond(ctx -> command(ctx, "shuffle", "state"));
    router
        .put("/v1/me/player/volume")
        .handler(body)
        .handler(modify)
        .respond(ctx -> command(ctx, "volume", "volume_percent"));
    router.get("/v1/me/player/queue").handler(readPlaying).respond(this::queue);
    router
        .post("/v1/me/player/queue")
        .handler(body)
        .handler(modify)
        .respond(ctx -> command(ctx, "queue_add", "uri"));
  }

  // ---- reads

  /** {@code GET /v1/me/player}: the CurrentlyPlayingContext, 204 when no device is active. */
  Future<JsonObject> playback(RoutingContext ctx) {
    return state(ctx)
        .compose(
            state ->
                state.activeDeviceId() == null
                    ? noContent(ctx)
                    : json.playback(state, clock.instant()));
  }

  /** {@code GET /v1/me/player/currently-playing}: 204 when no device is active or nothing is. */
  Future<JsonObject> currentlyPlaying(RoutingContext ctx) {
    return state(ctx)
        .compose(
            state ->
                state.activeDeviceId() == null || state.current() == null
                    ? noContent(ctx)
                    : json.currentlyPlaying(state, clock.instant()));
  }

  /** {@code GET /v1/me/player/devices}: the user's online devices. */
  Future<JsonObject> devices(RoutingContext ctx) {
    return state(ctx).map(PlayerJson::devices);
  }

  /** {@code GET /v1/me/player/queue}: the current track and what plays next. */
  Future<JsonObject> queue(RoutingContext ctx) {
    return state(ctx).compose(json::queue);
  }

  // ---- commands

  /**
   * {@code PUT /v1/me/player}: transfer to exactly one device of {@code device_ids}, with {@code
   * play}.
   */
  Future<Void> transfer(RoutingContext ctx) {
    JsonObject args = body(ctx);
    if (args.getValue("device_ids") == null) {
      // Spotify's transfer names its target in device_ids only.
      throw new ValidationException("device_ids must list exactly one device id");
    }
    args.remove("device_id");
    return run(ctx, "transfer", args);
  }

  /** {@code PUT /v1/me/player/play}: a context or tracks from an offset, or resume. */
  Future<Void> play(RoutingContext ctx) {
    JsonObject args = body(ctx);
    args.remove("device_id");
    putDeviceId(ctx, args);
    return run(ctx, "play", args);
  }

  /** A command whose arguments are {@code device_id} and the query parameters {@code params}. */
  Future<Void> command(RoutingContext ctx, String name, String... params) {
    // The arguments are query parameters; a body (some clients send {}) is ignored, as Spotify
    // does.
    JsonObject args = new JsonObject();
    for (String param : params) {
      String value = ctx.queryParams().get(param);
      if (value != null) {
        args.put(param, value);
      }
    }
    putDeviceId(ctx, args);
    return run(ctx, name, args);
  }

  private Future<Void> run(RoutingContext ctx, String name, JsonObject args) {
    OptionalLong expected = expectedVersion(ctx);
    String userId = userId(ctx);
    return commands
        .command(name, args)
        .compose(command -> apply(userId, command, expected))
        .map(
            outcome -> {
              if (outcome instanceof Outcome.Rejected rejected) {
                throw PlayerErrors.of(rejected);
              }
              ctx.response().setStatusCode(204);
              return null;
            });
  }

  private Future<Outcome> apply(String userId, Command command, OptionalLong expected) {
    return Future.fromCompletionStage(
        sessions.apply(userId, command, expected), vertx.getOrCreateContext());
  }

  private Future<PlaybackState> state(RoutingContext ctx) {
    return Future.fromCompletionStage(sessions.state(userId(ctx)), vertx.getOrCreateContext());
  }

  // ---- request values

  private static String userId(RoutingContext ctx) {
    return Principal.of(ctx).orElseThrow().userId();
  }

  /** {@code device_id} of the query, if given and not empty. */
  private static void putDeviceId(RoutingContext ctx, JsonObject args) {
    String deviceId = ctx.queryParams().get("device_id");
    if (deviceId != null && !deviceId.isEmpty()) {
      args.put("device_id", deviceId);
    }
  }

  /** {@code expected_version}: a whole number of 0 or more, if given. */
  static OptionalLong expectedVersion(RoutingContext ctx) {
    String value = ctx.queryParams().get("expected_version");
    if (value == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(
        PlayerCommands.nonNegative(
            new JsonObject().put("expected_version", value), "expected_version", true));
  }

  /**
   * The request's JSON object body, whatever its content type says; an empty object when there is
   * none (or only white space, or an empty form); 400 when it is not a JSON object.
   */
  static JsonObject body(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || buffer.toString().isBlank()) {
      return new JsonObject();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new ValidationException("Invalid request body: malformed JSON");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw new ValidationException("Invalid request body: expected a JSON object");
    }
    return object;
  }

  private static <T> Future<T> noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204);
    return Future.succeededFuture();
  }
}
