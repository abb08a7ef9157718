package io.cadenza.edge.connect;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.CadenzaException;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.Reason;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's socket: the hello, the device's commands, reports and time syncs, the session's
 * states pushed to it, liveness and the bounds of {@code cadenza.connect}. Runs on the event loop
 * of its verticle only.
 */
final class DeviceSocket {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceSocket.class);

  private final DeviceGateway gateway;
  private final ServerWebSocket ws;
  // Of the principal, only what the socket needs (its scopes set would cost every connected
  // device).
  private final String userId;
  private final boolean mayModify;
  private final long expiresAtMs;
  private final CadenzaSettings.Connect limits;

  /**
   * Tells this socket from a newer one of the same device, on any node (random: no coordination).
   */
  private final long connectionId = ThreadLocalRandom.current().nextLong();

  private Device device;
  private boolean welcomed;
  private boolean closed;
  private boolean replaced;
  private long sentVersion = -1;
  private String activeDeviceId;
  private String sentDevices;
  private String pendingState;
  private long slowSince = -1;
  private long lastHeard;
  private boolean heardSinceHeartbeat;
  private int badFrames;
  private double tokens;
  private long tokensAt;
  private long pingTimer = -1;
  private long expiryTimer = -1;
  private long helloTimer = -1;

  DeviceSocket(DeviceGateway gateway, ServerWebSocket ws, Principal principal) {
    this.gateway = gateway;
    this.ws = ws;
    this.userId = principal.userId();
    this.mayModify = principal.has(Scopes.USER_MODIFY_PLAYBACK_STATE);
    this.expiresAtMs = principal.expiresAt().toEpochMilli();
    this.limits = gateway.limits();
    this.lastHeard = gateway.nowMs();
    this.tokens = limits.frameBurst();
    this.tokensAt = lastHeard;
  }

  String userId() {
    return userId;
  }

  /** Whether the device has its welcome (and so takes states). */
  boolean welcomed() {
    return welcomed;
  }

  void start() {
    ws.setWriteQueueMaxSize(limits.writeQueueBytes());
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(bytes -> onBadFrame(FrameException.bad(null, "Frames are text")));
    ws.pongHandler(pong -> heard());
    ws.drainHandler(v -> drained());
    ws.exceptionHandler(failure -> LOG.debug("Device socket failed: {}", failure.toString()));
    ws.closeHandler(v -> onClosed());
    var vertx = gateway.vertx();
    pingTimer = vertx.setPeriodic(limits.pingInterval().toMillis(), id -> onPingTimer());
    helloTimer =
        vertx.setTimer(
            limits.helloTimeout().toMillis(),
            id -> {
              if (device == null) {
                close(CloseCodes.PROTOCOL_ERROR, "hello expected");
              }
            });
    long untilExpiry = expiresAtMs - gateway.nowMs();
    expiryTimer =
        vertx.setTimer(
            Math.max(1, untilExpiry),
            id -> close(CloseCodes.UNAUTHORIZED, "The access token expired"));
  }

  // ---- frames from the device

  private void onText(String text) {
    heard();
    if (tooBig(text)) {
      close(CloseCodes.TOO_BIG, "Frames are at most " + limits.maxFrameBytes() + " bytes");
      return;
    }
    if (!admit()) {
      return;
    }
    ClientFrame frame;
    try {
      frame = Frames.parse(text, gateway.now());
    } catch (FrameException e) {
      onBadFrame(e);
      return;
    }
    gateway.countFrame(frame);
    if (frame instanceof ClientFrame.TimeSync sync) {
      long received = gateway.nowMs();
      send(Frames.timeSync(sync.t0(), received, gateway.nowMs()));
    } else if (frame instanceof ClientFrame.Hello hello) {
      onHello(hello);
    } else if (!welcomed) {
      onBadFrame(
          FrameException.bad(
              frame instanceof ClientFrame.CommandFrame c ? c.id() : null,
              "Send hello and wait for welcome first"));
    } else if (frame instanceof ClientFrame.CommandFrame command) {
      onCommand(command);
    } else if (frame instanceof ClientFrame.Report report) {
      onReport(report);
    }
  }

  private void onHello(ClientFrame.Hello hello) {
    if (device != null) {
      onBadFrame(FrameException.bad(null, "This socket has said hello already"));
      return;
    }
    device = hello.device();
    gateway.vertx().cancelTimer(helloTimer);
    gateway
        .join(this)
        .compose(
            joined -> {
              gateway.feeds().announce(userId(), device.id(), Long.toString(connectionId));
              return connect();
            })
        .onSuccess(
            state -> {
              if (closed) {
                return;
              }
              gateway
                  .player()
                  .render(state, gateway.now())
                  .onSuccess(
                      rendered -> {
                        welcomed = true;
                        sentVersion = state.version();
                        activeDeviceId = state.activeDeviceId();
                        sentDevices =
                            Frames.encode(Frames.devices(gateway.player().devices(state)));
                        send(Frames.welcome(device.id(), gateway.nowMs(), rendered));
                        sendText(sentDevices);
                        // A change that arrived while the welcome was made.
                        gateway.catchUp(this);
                      })
                  .onFailure(this::failedToStart);
            })
        .onFailure(this::failedToStart);
  }

  /** Connects the device to its session; the state after it. */
  private Future<PlaybackState> connect() {
    return gateway
        .apply(userId(), new Command.Connect(device), OptionalLong.empty())
        .map(
            outcome -> {
              if (outcome instanceof Outcome.Accepted accepted) {
                return accepted.state();
              }
              throw new IllegalStateException("The session refused the device: " + outcome);
            });
  }

  private void failedToStart(Throwable failure) {
    LOG.warn("Device {} of user {} could not join: {}", device.id(), userId(), failure.toString());
    close(CloseCodes.TRY_AGAIN_LATER, "The session is not reachable; try again");
  }

  private void onCommand(ClientFrame.CommandFrame frame) {
    if (!mayModify) {
      send(
          Frames.error(
              frame.id(),
              403,
              "INSUFFICIENT_SCOPE",
              "Commands need the user-modify-playback-state scope"));
      return;
    }
    JsonObject args = frame.args();
    if ("play".equals(frame.name())
        && activeDeviceId == null
        && args.getValue("device_id") == null) {
      // Play on a device while none is active plays there (a device's own play button).
      args = args.copy().put("device_id", device.id());
    }
    Future<Command> command;
    try {
      command = gateway.player().command(frame.name(), args);
    } catch (RuntimeException e) {
      command = Future.failedFuture(e);
    }
    command
        .compose(c -> gateway.apply(userId(), c, frame.expectedVersion()))
        .onSuccess(outcome -> answer(frame.id(), outcome))
        .onFailure(failure -> answerFailure(frame.id(), failure));
  }

  private void onReport(ClientFrame.Report frame) {
    gateway
        .apply(
            userId(),
            new Command.Report(device.id(), frame.itemId(), frame.kind(), frame.positionMs()),
            OptionalLong.empty())
        .compose(
            outcome -> {
              if (outcome instanceof Outcome.Accepted accepted) {
                return gateway.player().listened(accepted.events()).map(outcome);
              }
              return Future.succeededFuture(outcome);
            })
        .onSuccess(
            outcome -> {
              if (outcome instanceof Outcome.Rejected rejected) {
                send(rejection(frame.id(), rejected));
              } else if (frame.id() != null) {
                send(Frames.ack(frame.id(), ((Outcome.Accepted) outcome).state().version()));
              }
            })
        .onFailure(failure -> answerFailure(frame.id(), failure));
  }

  private void answer(String id, Outcome outcome) {
    if (outcome instanceof Outcome.Accepted accepted) {
      send(Frames.ack(id, accepted.state().version()));
    } else {
      send(rejection(id, (Outcome.Rejected) outcome));
    }
  }

  private JsonObject rejection(String id, Outcome.Rejected rejected) {
    Reason reason = rejected.reason();
    return Frames.error(id, gateway.player().status(reason), reason.name(), rejected.message());
  }

  private void answerFailure(String id, Throwable failure) {
    if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    if (failure instanceof CadenzaException known) {
      send(
          Frames.error(
              id,
              known.status(),
              known.retriable() ? "UNAVAILABLE" : "INVALID",
              known.getMessage()));
    } else {
      LOG.warn("A device command failed: {}", failure.toString());
      send(Frames.error(id, 500, "INTERNAL", "The command failed"));
    }
  }

  private void onBadFrame(FrameException e) {
    gateway.countBadFrame();
    if (++badFrames > limits.maxBadFrames()) {
      close(CloseCodes.PROTOCOL_ERROR, "Too many bad frames");
      return;
    }
    send(Frames.error(e.id(), e.status(), e.reason(), e.getMessage()));
  }

  /** A token bucket of frames: false (and maybe a close) when the device sends too fast. */
  private boolean admit() {
    long now = gateway.nowMs();
    tokens =
        Math.min(
            limits.frameBurst(), tokens + (now - tokensAt) * limits.framesPerSecond() / 1000.0);
    tokensAt = now;
    tokens -= 1;
    if (tokens >= 0) {
      return true;
    }
    if (tokens < -limits.frameBurst()) {
      close(CloseCodes.RATE_LIMITED, "Too many frames");
    } else {
      send(Frames.error(null, 429, "RATE_LIMITED", "Too many frames; slow down"));
    }
    return false;
  }

  /** Whether the message's UTF-8 form is larger than a device may send. */
  private boolean tooBig(String text) {
    int max = limits.maxFrameBytes();
    if (text.length() > max) {
      return true;
    }
    return text.length() * 3L > max && text.getBytes(StandardCharsets.UTF_8).length > max;
  }

  private void heard() {
    lastHeard = gateway.nowMs();
    heardSinceHeartbeat = true;
  }

  // ---- the session's changes

  /** A new state of the session, its frames encoded once for all the user's sockets here. */
  void deliver(Delivery delivery) {
    if (!welcomed || closed || ws.isClosed() || delivery.version() <= sentVersion) {
      return;
    }
    sentVersion = delivery.version();
    activeDeviceId = delivery.activeDeviceId();
    if (!delivery.devicesFrame().equals(sentDevices)) {
      sentDevices = delivery.devicesFrame();
      sendText(sentDevices);
    }
    if (ws.writeQueueFull()) {
      // States are whole: a socket that cannot keep up only gets the newest when it drains.
      pendingState = delivery.stateFrame();
      if (slowSince < 0) {
        slowSince = gateway.nowMs();
      }
      return;
    }
    sendText(delivery.stateFrame());
  }

  /** Another socket announced a device: if it is this one's, this socket is replaced. */
  void announced(String deviceId, String otherConnection) {
    if (device != null
        && device.id().equals(deviceId)
        && !Long.toString(connectionId).equals(otherConnection)) {
      replaced = true;
      close(CloseCodes.REPLACED, "Replaced by a newer socket of the same device");
    }
  }

  private void drained() {
    slowSince = -1;
    if (pendingState != null) {
      String frame = pendingState;
      pendingState = null;
      sendText(frame);
    }
  }

  private void onPingTimer() {
    long now = gateway.nowMs();
    if (now - lastHeard > limits.silentTimeout().toMillis()) {
      close(CloseCodes.SILENT, "Nothing heard from the device");
      return;
    }
    if (slowSince >= 0 && now - slowSince > limits.slowCloseAfter().toMillis()) {
      close(CloseCodes.TOO_SLOW, "Too slow to keep up");
      return;
    }
    ws.writePing(Buffer.buffer("p"));
    if (welcomed && heardSinceHeartbeat) {
      heardSinceHeartbeat = false;
      gateway
          .apply(userId(), new Command.Heartbeat(device.id()), OptionalLong.empty())
          .onSuccess(
              outcome -> {
                // The session no longer knows the device (restored from before it connected):
                // announce it again.
                if (outcome instanceof Outcome.Rejected rejected
                    && rejected.reason() == Reason.DEVICE_NOT_FOUND
                    && !closed) {
                  connect();
                }
              });
    }
  }

  // ---- writing and closing

  private void send(JsonObject frame) {
    sendText(Frames.encode(frame));
  }

  private void sendText(String frame) {
    if (!closed) {
      ws.writeTextMessage(frame);
    }
  }

  void close(short code, String reason) {
    if (closed) {
      return;
    }
    gateway.countClose(code);
    ws.close(code, reason);
    onClosed();
  }

  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    gateway.socketClosed();
    var vertx = gateway.vertx();
    vertx.cancelTimer(pingTimer);
    vertx.cancelTimer(expiryTimer);
    vertx.cancelTimer(helloTimer);
    gateway.leave(this);
    if (device != null && !replaced) {
      gateway
          .apply(userId(), new Command.Disconnect(device.id()), OptionalLong.empty())
          .onFailure(
              failure ->
                  LOG.info(
                      "Device {} of user {} left, and its session could not be told: {}",
                      device.id(),
                      userId(),
                      failure.toString()));
    }
  }
}
