package io.cadenza.edge.connect;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.edge.auth.AccessTokens;
import io.cadenza.edge.auth.BearerAuth;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.cadenza.playback.Command;
import io.cadenza.playback.Outcome;
import io.cadenza.session.SessionChange;
import io.cadenza.session.Sessions;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The device WebSocket gateway of one edge verticle, {@code GET /v1/connect}: authenticates the
 * upgrade (a bearer header, or {@code access_token} for browsers), runs a {@link DeviceSocket} per
 * device, and pushes each user's session changes to the user's sockets here — rendered once per
 * change for all of them. Runs on the verticle's event loop.
 */
public final class DeviceGateway {

  /** Devices connected to this node, over all its verticles (a gauge). */
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DeviceGateway.class);

  private static final AtomicInteger CONNECTED = new AtomicInteger();

  private final Vertx vertx;
  private final AccessTokens tokens;
  private final Sessions sessions;
  private final SessionFeeds feeds;
  private final DevicePlayer player;
  private final CadenzaSettings.Connect limits;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Map<String, UserDevices> users = new HashMap<>();

  public DeviceGateway(
      Vertx vertx,
      AccessTokens tokens,
      Sessions sessions,
      SessionFeeds feeds,
      DevicePlayer player,
      CadenzaSettings.Connect limits,
      Clock clock,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.sessions = sessions;
    this.feeds = feeds;
    this.player = player;
    this.limits = limits;
    this.clock = clock;
    this.metrics = metrics;
    metrics.gauge("cadenza.connect.devices", CONNECTED);
  }

  /** The upgrade request: checked and authenticated, then a socket. */
  public void handle(RoutingContext ctx) {
    var request = ctx.request();
    String token = BearerAuth.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      token = request.getParam("access_token");
    }
    if (token == null || token.isBlank()) {
      unauthorized(ctx, "No token provided");
      return;
    }
    tokens
        .verify(token)
        .onSuccess(principal -> upgrade(ctx, principal))
        .onFailure(failure -> unauthorized(ctx, failure.getMessage()));
  }

  private void upgrade(RoutingContext ctx, Principal principal) {
    if (!principal.hasUser()) {
      ctx.fail(new HttpException(403, "A device connects with a user's token"));
      return;
    }
    if (!principal.has(Scopes.USER_READ_PLAYBACK_STATE)) {
      ctx.fail(new HttpException(403, "Insufficient client scope"));
      return;
    }
    ctx.request()
        .toWebSocket()
        .onSuccess(
            ws -> {
              // Counted down by the socket's own close handling (socketClosed).
              CONNECTED.incrementAndGet();
              new DeviceSocket(this, ws, principal).start();
            })
        .onFailure(failure -> ctx.fail(new HttpException(400, "Not a WebSocket upgrade")));
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response()
        .putHeader("WWW-Authenticate", "Bearer realm=\"cadenza\", error=\"invalid_token\"");
    ctx.fail(new HttpException(401, message));
  }

  // ---- the users' sockets on this verticle

  /** Adds a socket to its user's group; completes once the user's feed is registered. */
  Future<Void> join(DeviceSocket socket) {
    UserDevices group = users.computeIfAbsent(socket.userId(), UserDevices::new);
    group.sockets.add(socket);
    if (group.subscription == null) {
      group.subscription =
          feeds
              .subscribe(socket.userId(), group)
              .onFailure(failure -> users.remove(socket.userId(), group));
    }
    return group.subscription.mapEmpty();
  }

  /** A socket closed (once per socket, whatever closed it). */
  void socketClosed() {
    CONNECTED.decrementAndGet();
  }

  void leave(DeviceSocket socket) {
    UserDevices group = users.get(socket.userId());
    if (group != null && group.sockets.remove(socket) && group.sockets.isEmpty()) {
      users.remove(socket.userId());
      group.subscription.onSuccess(SessionFeeds.Subscription::close);
    }
  }

  /** Gives a socket just welcomed the newest state its group rendered, if newer. */
  void catchUp(DeviceSocket socket) {
    UserDevices group = users.get(socket.userId());
    if (group != null && group.last != null) {
      socket.deliver(group.last);
      group.forgetIfAllWelcomed();
    }
  }

  /** The sockets of one user on this verticle, and the last state rendered for them. */
  private final class UserDevices implements SessionFeeds.Listener {
    final String userId;
    final List<DeviceSocket> sockets = new ArrayList<>(4);
    Future<SessionFeeds.Subscription> subscription;
    long version = -1;

    /**
     * The newest state, kept only while a socket of the group waits for its welcome (a change may
     * come while the welcome is made): the memory of a connected device is what it needs.
     */
    Delivery last;

    UserDevices(String userId) {
      this.userId = userId;
    }

    @Override
    public void changed(SessionChange change) {
      long changed = change.state().version();
      if (changed <= version) {
        return;
      }
      String devicesFrame = Frames.encode(Frames.devices(player.devices(change.state())));
      player
          .render(change.state(), now())
          .onSuccess(
              rendered -> {
                if (changed <= version) {
                  return;
                }
                version = changed;
                last =
                    new Delivery(
                        changed,
                        change.state().activeDeviceId(),
                        devicesFrame,
                        Frames.encode(Frames.state(rendered)));
                for (DeviceSocket socket : List.copyOf(sockets)) {
                  try {
                    socket.deliver(last);
                  } catch (RuntimeException e) {
                    // One socket's failure must not keep the state from the others.
                    LOG.debug("Delivering a state to a socket failed: {}", e.toString());
                  }
                }
                forgetIfAllWelcomed();
              });
    }

    void forgetIfAllWelcomed() {
      for (DeviceSocket socket : sockets) {
        if (!socket.welcomed()) {
          return;
        }
      }
      last = null;
    }

    @Override
    public void announced(String deviceId, String connectionId) {
      for (DeviceSocket socket : List.copyOf(sockets)) {
        socket.announced(deviceId, connectionId);
      }
    }
  }

  // ---- for the sockets

  Future<Outcome> apply(String userId, Command command, OptionalLong expectedVersion) {
    return Future.fromCompletionStage(
        sessions.apply(userId, command, expectedVersion), vertx.getOrCreateContext());
  }

  Vertx vertx() {
    return vertx;
  }

  SessionFeeds feeds() {
    return feeds;
  }

  DevicePlayer player() {
    return player;
  }

  CadenzaSettings.Connect limits() {
    return limits;
  }

  Instant now() {
    return clock.instant();
  }

  long nowMs() {
    return clock.millis();
  }

  void countFrame(ClientFrame frame) {
    metrics.counter("cadenza.connect.frames", "type", frame.getClass().getSimpleName()).increment();
  }

  void countBadFrame() {
    metrics.counter("cadenza.connect.frames", "type", "Bad").increment();
  }

  void countClose(short code) {
    metrics.counter("cadenza.connect.closes", "code", Short.toString(code)).increment();
  }
}
