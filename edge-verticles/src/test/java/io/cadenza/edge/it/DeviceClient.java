package io.cadenza.edge.it;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A device on the WebSocket gateway for integration tests: connects with a token, sends frames, and
 * keeps every frame received, each with the time it arrived, for blocking waits.
 */
public final class DeviceClient implements AutoCloseable {

  /** A frame the device received, and when ({@link System#currentTimeMillis()}). */
  public record Received(JsonObject frame, long atMs) {}

  private static final Vertx VERTX = Vertx.vertx();

  private final WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
  private final List<Received> seen = new ArrayList<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private final AtomicInteger ids = new AtomicInteger();

  private DeviceClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
  }

  /** Opens a socket to {@code baseUrl}'s gateway with the token as a bearer header. */
  public static DeviceClient connect(String baseUrl, String token) throws Exception {
    WebSocketClient client =
        VERTX.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    String url = baseUrl.replaceFirst("^http", "ws") + "/v1/connect";
    WebSocket ws =
        client
            .connect(
                new WebSocketConnectOptions()
                    .setAbsoluteURI(url)
                    .addHeader("Authorization", "Bearer " + token))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    DeviceClient device = new DeviceClient(client, ws);
    ws.textMessageHandler(
        text -> device.inbox.add(new Received(new JsonObject(text), System.currentTimeMillis())));
    ws.closeHandler(v -> device.closed.complete(ws.closeStatusCode()));
    return device;
  }

  /** Sends hello and waits for the welcome. */
  public JsonObject hello(String deviceId, String name, String type) throws Exception {
    send(
        new JsonObject()
            .put("type", "hello")
            .put(
                "device",
                new JsonObject()
                    .put("id", deviceId)
                    .put("name", name)
                    .put("type", type)
                    .put("volume_percent", 50)
                    .put("supports_volume", true)));
    return await("welcome", f -> true, Duration.ofSeconds(10)).frame();
  }

  /** Sends a command and returns its ack or error frame. */
  public JsonObject command(String name, JsonObject args) throws Exception {
    String id = "c" + ids.incrementAndGet();
    send(new JsonObject().put("type", "command").put("id", id).put("name", name).put("args", args));
    return await(
            null,
            f ->
                id.equals(f.getString("id"))
                    && ("ack".equals(f.getString("type")) || "error".equals(f.getString("type"))),
            Duration.ofSeconds(15))
        .frame();
  }

  public void send(JsonObject frame) {
    sendText(frame.encode());
  }

  public void sendText(String text) {
    ws.writeTextMessage(text).toCompletionStage().toCompletableFuture().join();
  }

  /**
   * Waits for a frame of {@code type} (any type when null) matching {@code test}, received since
   * the last wait that took one; the frames skipped stay in {@link #seen}.
   */
  public Received await(String type, Predicate<JsonObject> test, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Received next = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new AssertionError(
            "No " + (type == null ? "frame" : type) + " frame in " + timeout + "; saw " + seen);
      }
      seen.add(next);
      if ((type == null || type.equals(next.frame().getString("type")))
          && test.test(next.frame())) {
        return next;
      }
    }
  }

  /** The frames taken by waits so far, in order (for failure messages). */
  public List<Received> seen() {
    return List.copyOf(seen);
  }

  /**
   * The first state frame whose version is at least {@code version}: one a wait took already (e.g.
   * a state that came before the ack {@link #command} waited for), else the next one to come.
   */
  public Received awaitState(long version, Duration timeout) throws InterruptedException {
    Predicate<JsonObject> test =
        f ->
            "state".equals(f.getString("type"))
                && f.getJsonObject("state").getLong("version") >= version;
    for (Received taken : seen) {
      if (test.test(taken.frame())) {
        return taken;
      }
    }
    return await("state", test, timeout);
  }

  /** The close code the server sent, waiting up to the timeout. */
  public short awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close();
    }
    client.close();
  }
}
