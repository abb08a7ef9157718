package io.cadenza.load;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connected devices and playback transfers over the device WebSocket gateway ({@code GET
 * /v1/connect}, see DEVICE-PROTOCOL.md): how long a transfer takes to reach every device of its
 * user, and what a connected device costs the node's heap.
 *
 * <p>Each virtual user is one Cadenza user (signed up and in before the load, tokens cached in
 * {@code -Dtokens.file}) with {@code -Ddevices} (4) named WebSockets, each saying {@code hello}
 * with its own device id, name and type and waiting for its {@code welcome}. Users arrive evenly
 * over {@code -Dramp} seconds, so the node is never hit by a burst of handshakes. With {@code
 * -Dcadenza.baseUrl2} (a second node) the first half of each user's devices connect to the first
 * node and the second half to the second, so every change of a user reaches devices on both nodes.
 *
 * <p>Once every user has arrived, the heap of each node in {@code -Dnode.pids} is measured after a
 * full GC ({@code jcmd GC.run}, then {@code GC.heap_info}); the same was done in {@link #before()}
 * with none of the benchmark's devices connected, so (with − without) / devices is the heap one
 * connected device costs (its socket, its place in the gateway and its share of the user's session
 * entity). Only then does the load go on, so the forced GCs fall outside the measured transfers.
 *
 * <p>Then each user, at a random moment within its first {@code -Dpause} seconds, plays a track of
 * the catalog on its first device (a {@code play} command) and does {@code -Dwarmup} (2) transfers
 * as below, which warm the node up (a node just started compiles the code of transfers, reports and
 * their listening events as they first come) and are reported apart. Once every user has, each
 * node's {@code /metrics} is scraped ({@code metrics-node<n>-before-transfers.txt} next to {@code
 * -Dbench.out}, so the node's own histograms can be read for the transfers alone) and each user,
 * from a random moment within the next {@code -Dpause} seconds, does {@code -Dtransfers} (10)
 * transfers, {@code -Dpause} (10) seconds apart on average (uniform from half to one and a half):
 * the active device sends {@code transfer} to the next device of the user. A transfer's time is
 * from just before the command is sent until the last of the user's devices has received the {@code
 * state} frame with the version the command's {@code ack} names (or a newer one); the frames'
 * arrival times are Gatling's own, taken when each frame was read, so the polling below does not
 * add to them. The new active device then confirms with a {@code report} ({@code started}), as a
 * real receiver does. Gatling's clock and this class's agree within a millisecond or two (a frame
 * stamped up to 2 ms before the send counts as arriving at the send); times are whole milliseconds.
 * Each transfer's time is also split at the new state's {@code timestamp} (the server time at which
 * the session made it; the node runs on the same machine clock): the way in (sent → made) and the
 * way out (made → on every device, which includes the durable write). Every transfer's times are
 * written to {@code transfers.csv} next to {@code -Dbench.out}.
 *
 * <p>A transfer is counted as failed when its command gets an {@code error} (or no answer in {@code
 * -Dtimeout} seconds), when some device does not get the new state in {@code -Dtimeout} seconds, or
 * when the state does not name the target as the active device. Everything the table needs is
 * written to {@code -Dbench.out} (JSON).
 *
 * <p>Settings: {@code -Dcadenza.baseUrl} (http://127.0.0.1:8080), {@code -Dcadenza.baseUrl2}
 * (none), {@code -Dusers} (2500), {@code -Ddevices} (4), {@code -Dramp} (120 s), {@code
 * -Dtransfers} (10), {@code -Dwarmup} (2), {@code -Dpause} (10 s), {@code -Dtimeout} (10 s), {@code
 * -Dsettle} (5 s of quiet before the heap is measured with all devices connected), {@code -Dtracks}
 * (comma-separated track URIs; default: the first {@code -Dsearch} (the) results of {@code
 * /v1/search}), {@code -Dnode.pids} (none: no heap figures), {@code -Dtokens.file} (none: no
 * cache), {@code -Duser.prefix} (session-bench), {@code -Dbench.out}.
 */
public class SessionSimulation extends Simulation {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final boolean DEBUG = Boolean.getBoolean("debug");
  private static final Pattern TRACK_URI =
      Pattern.compile("\"uri\"\\s*:\\s*\"((?:spotify|cadenza):track:[0-9A-Za-z]+)\"");
  private static final String[] DEVICE_TYPES = {"Smartphone", "Computer", "Speaker", "TV"};

  /**
   * This class's clock: epoch milliseconds advanced by {@link System#nanoTime()}, as Gatling's own
   * clock (which timestamps the frames received) is, so the two do not drift apart during a run.
   */
  private static final long CLOCK_MS = System.currentTimeMillis();

  private static final long CLOCK_NS = System.nanoTime();

  /** How far Gatling's clock and this class's may disagree (ms): see {@link Pending#read}. */
  private static final long CLOCK_SLACK_MS = 2;

  private final String baseUrl = System.getProperty("cadenza.baseUrl", "http://127.0.0.1:8080");
  private final String baseUrl2 = System.getProperty("cadenza.baseUrl2", "");
  private final int users = Integer.parseInt(System.getProperty("users", "2500"));
  private final int devices = Integer.parseInt(System.getProperty("devices", "4"));
  private final int ramp = Integer.parseInt(System.getProperty("ramp", "120"));
  private final int transfers = Integer.parseInt(System.getProperty("transfers", "10"));
  private final int warmup = Integer.parseInt(System.getProperty("warmup", "2"));
  private final double pauseSeconds = Double.parseDouble(System.getProperty("pause", "10"));
  private final int timeout = Integer.parseInt(System.getProperty("timeout", "10"));
  private final int settle = Integer.parseInt(System.getProperty("settle", "5"));
  private final String tracksProperty = System.getProperty("tracks", "");
  private final String search = System.getProperty("search", "the");
  private final List<Long> nodePids =
      Arrays.stream(System.getProperty("node.pids", "").split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .map(Long::parseLong)
          .toList();
  private final String tokensFile = System.getProperty("tokens.file", "");
  private final String userPrefix = System.getProperty("user.prefix", "session-bench");
  private final String out = System.getProperty("bench.out", "");

  private final List<String> tokens = new ArrayList<>();
  private final List<String> tracks = new ArrayList<>();

  /** Users that finished connecting (successfully or not), and those whose devices all joined. */
  private final AtomicInteger arrived = new AtomicInteger();

  private final AtomicInteger connectedUsers = new AtomicInteger();

  /** Devices whose socket is open and welcomed, now. */
  private final AtomicInteger connectedDevices = new AtomicInteger();

  private final AtomicInteger maxConnectedDevices = new AtomicInteger();
  private final AtomicInteger nextUser = new AtomicInteger();

  /** Set once every user has arrived and the heap was measured: the plays may start. */
  private final AtomicBoolean go = new AtomicBoolean();

  /** Users done with their play (played, failed or gave up). */
  private final AtomicInteger played = new AtomicInteger();

  /** Set once every connected user is done with its play: the transfers may start. */
  private final AtomicBoolean transfersGo = new AtomicBoolean();

  private final ConcurrentLinkedQueue<Long> transferMs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> warmupMs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> firstDeviceMs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> playMs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> ackMs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> toSessionMs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> fromSessionMs = new ConcurrentLinkedQueue<>();

  /** The baseline time-sync exchanges: round trip, and sent → read by the node (ms). */
  private final ConcurrentLinkedQueue<Long> syncMs = new ConcurrentLinkedQueue<>();

  private final ConcurrentLinkedQueue<Long> syncToNodeMs = new ConcurrentLinkedQueue<>();

  /** Per transfer: sent, ack read, state made by the session, last device's state read (ms). */
  private final ConcurrentLinkedQueue<long[]> transferTimes = new ConcurrentLinkedQueue<>();

  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
  private final Map<String, Object> heap = new LinkedHashMap<>();
  private final AtomicLong transfersFirstMs = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong transfersLastMs = new AtomicLong();
  private volatile long connectStartMs;
  private volatile long allArrivedMs;

  {
    if (users < 1 || users > 10_000 || devices < 2 || devices > 8) {
      throw new IllegalArgumentException("-Dusers must be 1-10000 and -Ddevices 2-8");
    }
    if (ramp < 0 || ramp > 1800 || transfers < 0 || transfers > 1000) {
      throw new IllegalArgumentException("-Dramp must be 0-1800 s and -Dtransfers 0-1000");
    }
    if (warmup < 0 || warmup > 100) {
      throw new IllegalArgumentException("-Dwarmup must be 0-100");
    }
    if (!(pauseSeconds > 0 && pauseSeconds <= 600) || timeout < 1 || timeout > 120) {
      throw new IllegalArgumentException("-Dpause must be in (0, 600] and -Dtimeout 1-120 s");
    }
    if (settle < 0 || settle > 600) {
      throw new IllegalArgumentException("-Dsettle must be 0-600 s");
    }
    HttpProtocolBuilder protocol =
        http.userAgentHeader("cadenza-bench")
            // Every frame a device receives outside a check is kept (with its arrival time) until
            // the transfer loop reads it; a transfer brings a few per device.
            .wsUnmatchedInboundMessageBufferSize(32);

    ChainBuilder connect =
        exec(
            session -> {
              int user = nextUser.getAndIncrement();
              connectStartMs = connectStartMs == 0 ? now() : connectStartMs;
              return session
                  .set("user", user)
                  .set("token", tokens.get(user % tokens.size()))
                  .set("connected", 0);
            });
    for (int d = 0; d < devices; d++) {
      int device = d;
      connect =
          connect
              .exec(
                  ws("connect")
                      .wsName(socket(device))
                      .connect(session -> wsUrl(device))
                      .header("Authorization", session -> "Bearer " + session.getString("token")))
              .exec(
                  ws("hello")
                      .wsName(socket(device))
                      .sendText(session -> hello(session.getInt("user"), device))
                      .await(Duration.ofSeconds(timeout))
                      .on(
                          ws.checkTextMessage("welcome")
                              .matching(jsonPath("$.type").is("welcome"))
                              .check(
                                  jsonPath("$.device_id")
                                      .is(session -> deviceId(session.getInt("user"), device)))))
              .exec(
                  session -> {
                    if (session.isFailed()) {
                      return session;
                    }
                    int now = connectedDevices.incrementAndGet();
                    maxConnectedDevices.accumulateAndGet(now, Math::max);
                    return session.set("connected", session.getInt("connected") + 1);
                  });
    }

    ChainBuilder arrive =
        exec(session -> {
              if (session.isFailed()) {
                count("connect failed (user)");
              } else {
                connectedUsers.incrementAndGet();
              }
              if (arrived.incrementAndGet() == users) {
                allArrivedMs = now();
              }
              return session;
            })
            // Everybody waits until all users are in and the heap was measured.
            .asLongAs(session -> !go.get())
            .on(pause(Duration.ofMillis(500)));

    // The measured transfers start once every user has played and warmed up (so they are not
    // measured amid the burst of first plays), each user's first at a random moment within -Dpause
    // seconds.
    ChainBuilder awaitTransfers =
        asLongAs(session -> !transfersGo.get())
            .on(pause(Duration.ofMillis(200)))
            .pause(Duration.ZERO, Duration.ofMillis((long) (pauseSeconds * 1000)));

    ChainBuilder transfer =
        exec(session -> session.set("target", (session.getInt("active") + 1) % devices))
            .exec(
                exchange(
                    "transfer",
                    session ->
                        "{\"device_ids\":[\""
                            + deviceId(session.getInt("user"), session.getInt("target"))
                            + "\"]}"))
            // Half the pause, then (measured transfers only) the baseline time-sync exchange on a
            // device the transfer left alone, then the other half.
            .pause(
                Duration.ofMillis((long) (pauseSeconds * 250)),
                Duration.ofMillis((long) (pauseSeconds * 750)))
            .doIf(session -> !session.getBoolean("warm"))
            .then(timeSync())
            .pause(
                Duration.ofMillis((long) (pauseSeconds * 250)),
                Duration.ofMillis((long) (pauseSeconds * 750)));

    // The play, then -Dwarmup transfers that warm the node up (its JIT compiler and caches) and
    // are reported apart from the measured ones.
    ChainBuilder play =
        exec(session -> session.set("active", 0).set("target", 0).set("warm", true))
            .pause(Duration.ZERO, Duration.ofMillis((long) (pauseSeconds * 1000)))
            .exec(exchange("play", session -> playArgs(session)))
            .doIf(session -> session.getInt("active") >= 0)
            .then(repeat(warmup).on(transfer))
            .exec(
                session -> {
                  played.incrementAndGet();
                  return session.set("warm", false);
                });

    ChainBuilder close = exec(session -> session);
    for (int d = 0; d < devices; d++) {
      int device = d;
      close =
          close.exec(
              exec(ws("close").wsName(socket(device)).close())
                  .exec(
                      session -> {
                        connectedDevices.decrementAndGet();
                        return session;
                      }));
    }

    var scenario =
        scenario("devices")
            .exec(connect)
            .exec(arrive)
            .exitHereIf(session -> session.getInt("connected") < devices)
            .exec(play)
            .exitHereIf(session -> session.getInt("active") < 0)
            .exec(awaitTransfers)
            .exec(repeat(transfers).on(transfer))
            .exec(close);

    long total =
        ramp
            + 3L * 60
            + (long) Math.ceil((transfers + warmup + 2) * (pauseSeconds * 1.5 + timeout))
            + 60;
    setUp(scenario.injectOpen(rampUsers(users).during(Duration.ofSeconds(Math.max(1, ramp)))))
        .protocols(protocol)
        .maxDuration(Duration.ofSeconds(total))
        .assertions(global().failedRequests().count().is(0L));
  }

  // ---- the chains

  /**
   * One command from the active device and its effect: sends it, then until the answer is in and
   * every device has a state with at least the ack's version (or the time-out), reads each socket's
   * frames received since the last look. The answer is looked for among the sender's frames too
   * (not with a Gatling check: frames that arrive while a check waits are not kept for later). Then
   * records the times and has the new active device confirm with a report.
   */
  private ChainBuilder exchange(String name, Function<Session, String> argsOfSession) {
    ChainBuilder look =
        readEverySocket(
            (device, messages, session) -> session.<Pending>get("pending").read(device, messages));
    return exec(session -> {
          long n = session.contains("n") ? session.getLong("n") + 1 : 1;
          String id = name + "-" + n;
          String target = deviceId(session.getInt("user"), session.getInt("target"));
          return session.set("n", n).set("pending", new Pending(id, target, devices));
        })
        .exec(
            ws(name)
                .wsName(session -> socket(session.getInt("active")))
                .sendText(
                    session ->
                        "{\"type\":\"command\",\"id\":\"%s\",\"name\":\"%s\",\"args\":%s}"
                            .formatted(
                                session.<Pending>get("pending").id,
                                name,
                                argsOfSession.apply(session))))
        .exec(look)
        .asLongAs(session -> !session.<Pending>get("pending").done(timeout))
        // Looking more rarely the longer it takes: the times are the frames' own arrival times, so
        // this only bounds how soon the user goes on, and a slow node is not flooded with looks.
        .on(pause(session -> session.<Pending>get("pending").nextLook()).exec(look))
        .exec(session -> settled(name, session))
        .doIf(session -> !session.<Pending>get("pending").confirmItem.isEmpty())
        .then(
            ws("report")
                .wsName(session -> socket(session.getInt("active")))
                .sendText(
                    session -> {
                      Pending pending = session.get("pending");
                      return "{\"type\":\"report\",\"reason\":\"started\",\"item_id\":\"%s\",\"position_ms\":%d}"
                          .formatted(pending.confirmItem, pending.confirmProgress);
                    }))
        .exec(session -> session.remove("pending"));
  }

  /**
   * The baseline: a {@code time_sync} frame from a device that is neither the old nor the new
   * active one, until its answer is read. The node answers it on the socket's event loop without
   * the session, the store or the event bus, so its round trip is what the machine (both JVMs, the
   * sockets, the node's event loop) adds to any frame under the same load, measured the same way
   * (frames' arrival times, whole ms) in the same run: the floor under a transfer's time. Its
   * {@code t1} (the node's clock when the frame arrived) splits it like a transfer: the way in
   * (sent → read by the node's event loop).
   */
  private ChainBuilder timeSync() {
    // Every socket is read (the others' frames, states of the report, are dropped as they come).
    ChainBuilder look =
        readEverySocket(
            (device, messages, session) -> {
              if (device != session.getInt("syncDevice")) {
                return;
              }
              long[] sync = session.get("sync"); // {t0, arrival, t1}
              for (WsInboundMessage message : messages) {
                if (message instanceof WsInboundMessage.Text text
                    && text.message().startsWith("{\"type\":\"time_sync\"")
                    && sync[1] < 0) {
                  JsonNode answer = parse(text.message());
                  if (answer != null && answer.path("t0").asLong(-1) == sync[0]) {
                    sync[1] = Math.max(sync[0], message.timestamp());
                    sync[2] = answer.path("t1").asLong(-1);
                  }
                }
              }
            });
    return exec(session -> {
          // The device after the new active one: not the old active one either (devices >= 3),
          // so no state of the transfer or its report is on its way to it.
          int device = (session.getInt("target") + 1) % devices;
          return session.set("syncDevice", device).set("sync", new long[] {now(), -1, -1});
        })
        .exec(
            ws("time_sync")
                .wsName(session -> socket(session.getInt("syncDevice")))
                .sendText(
                    session ->
                        "{\"type\":\"time_sync\",\"t0\":" + session.<long[]>get("sync")[0] + "}"))
        .exec(look)
        .asLongAs(
            session -> {
              long[] sync = session.get("sync");
              return sync[1] < 0 && now() - sync[0] < timeout * 1000L;
            })
        .on(pause(Duration.ofMillis(20)).exec(look))
        .exec(
            session -> {
              long[] sync = session.get("sync");
              if (sync[1] < 0) {
                count("time_sync: no answer in " + timeout + " s");
              } else {
                syncMs.add(sync[1] - sync[0]);
                if (sync[2] >= 0) {
                  // Two clocks (the node's, this class's) that may disagree by a millisecond.
                  syncToNodeMs.add(Math.min(sync[1] - sync[0], Math.max(0, sync[2] - sync[0])));
                }
              }
              return session.remove("sync");
            });
  }

  /** What a look does with the frames one socket received since the last look. */
  private interface SocketFrames {
    void read(int device, List<WsInboundMessage> messages, Session session);
  }

  /** A look at every socket of the user: each one's frames received since the last look. */
  private ChainBuilder readEverySocket(SocketFrames reader) {
    ChainBuilder look = exec(session -> session);
    for (int d = 0; d < devices; d++) {
      int device = d;
      look =
          look.exec(
              ws.processUnmatchedMessages(
                  socket(device),
                  (messages, session) -> {
                    reader.read(device, messages, session);
                    return session;
                  }));
    }
    return look;
  }

  /** Records the command's outcome and makes its target the active device. */
  private Session settled(String name, Session session) {
    Pending pending = session.get("pending");
    if (pending.error != null) {
      count(name + ": error " + pending.error);
      // Nothing changed; the next transfer starts from the same device.
      return name.equals("play") ? session.set("active", -1) : session;
    }
    if (pending.version < 0) {
      count(name + ": no answer in " + timeout + " s");
      return name.equals("play") ? session.set("active", -1) : session;
    }
    ackMs.add(pending.ackAt - pending.t0);
    if (!pending.allArrived()) {
      count(name + ": not every device got the new state in " + timeout + " s");
    } else if (pending.wrongActive != null) {
      count(name + ": the new state names another active device (" + pending.wrongActive + ")");
    } else {
      long last = Arrays.stream(pending.arrivals).max().orElse(pending.t0) - pending.t0;
      long first = Arrays.stream(pending.arrivals).min().orElse(pending.t0) - pending.t0;
      if (name.equals("play")) {
        playMs.add(last);
      } else if (session.getBoolean("warm")) {
        warmupMs.add(last);
      } else {
        transferMs.add(last);
        firstDeviceMs.add(first);
        if (pending.stateAt >= 0) {
          toSessionMs.add(pending.stateAt - pending.t0);
          fromSessionMs.add(pending.t0 + last - pending.stateAt);
        }
        transferTimes.add(
            new long[] {pending.t0, pending.ackAt, pending.stateAt, pending.t0 + last});
        transfersFirstMs.accumulateAndGet(pending.t0, Math::min);
        transfersLastMs.accumulateAndGet(pending.t0, Math::max);
      }
      // The new active device confirms a change that reached every device as asked.
      pending.confirmItem = pending.item;
      pending.confirmProgress = pending.progress;
    }
    return session.set("active", session.getInt("target"));
  }

  /**
   * A command on its way: its answer and, per device, the arrival of the first state frame with at
   * least the ack's version. States are kept as they come (the version is known only once the ack
   * is in, which may come after some of them). Used by one virtual user at a time.
   */
  private static final class Pending {
    final String id;
    final String target;
    final long t0 = now();
    final long[] arrivals;
    final List<List<long[]>> states = new ArrayList<>();
    final List<List<JsonNode>> stateFrames = new ArrayList<>();
    long version = -1;
    long ackAt;

    /** The server time the new state was made at (its {@code timestamp}), -1 if unknown. */
    long stateAt = -1;

    String error;
    String wrongActive;
    String item = "";
    long progress;
    String confirmItem = "";
    long confirmProgress;

    Pending(String id, String target, int devices) {
      this.id = id;
      this.target = target;
      this.arrivals = new long[devices];
      Arrays.fill(arrivals, -1);
      for (int d = 0; d < devices; d++) {
        states.add(new ArrayList<>());
        stateFrames.add(new ArrayList<>());
      }
    }

    void read(int device, List<WsInboundMessage> messages) {
      for (WsInboundMessage message : messages) {
        if (!(message instanceof WsInboundMessage.Text text)) {
          continue;
        }
        String frame = text.message();
        // Gatling's clock and this class's each take their own reading of the wall clock and run
        // on with System.nanoTime(), so they can disagree by a millisecond: a frame stamped just
        // before t0 may still be an answer to the command (answers are told by their id anyway).
        boolean before = message.timestamp() < t0 - CLOCK_SLACK_MS;
        long at = Math.max(t0, message.timestamp());
        if (DEBUG) {
          System.out.printf(
              "DEBUG %s device %d +%d ms: %s%n",
              id,
              device,
              message.timestamp() - t0,
              frame.substring(0, Math.min(frame.length(), 120)));
        }
        if (frame.startsWith("{\"type\":\"state\"")) {
          if (before) {
            continue;
          }
          JsonNode state = parse(frame);
          if (state != null) {
            states.get(device).add(new long[] {state.path("state").path("version").asLong(-1), at});
            stateFrames.get(device).add(state.path("state"));
          }
        } else if (frame.contains("\"" + id + "\"")) {
          JsonNode answer = parse(frame);
          if (answer == null || !id.equals(answer.path("id").asText())) {
            continue;
          }
          if ("ack".equals(answer.path("type").asText())) {
            version = answer.path("version").asLong(-1);
            ackAt = at;
          } else {
            error = answer.path("reason").asText("?");
          }
        }
      }
      match();
    }

    /** With the ack's version known: each device's first state at least as new. */
    private void match() {
      if (version < 0) {
        return;
      }
      for (int d = 0; d < arrivals.length; d++) {
        if (arrivals[d] >= 0) {
          continue;
        }
        List<long[]> seen = states.get(d);
        for (int i = 0; i < seen.size(); i++) {
          if (seen.get(i)[0] >= version) {
            arrivals[d] = seen.get(i)[1];
            JsonNode state = stateFrames.get(d).get(i);
            String active = state.path("device").path("id").asText("");
            if (!active.equals(target)) {
              wrongActive = active;
            }
            item = state.path("item_id").asText("");
            stateAt = state.path("timestamp").asLong(-1);
            progress = state.path("progress_ms").asLong(0);
            break;
          }
        }
      }
    }

    /** A quarter of the time waited so far, 20 ms to 1 s. */
    Duration nextLook() {
      return Duration.ofMillis(Math.max(20, Math.min(1000, (now() - t0) / 4)));
    }

    boolean allArrived() {
      return Arrays.stream(arrivals).allMatch(a -> a >= 0);
    }

    boolean done(int timeoutSeconds) {
      return error != null
          || (version >= 0 && allArrived())
          || now() - t0 >= timeoutSeconds * 1000L;
    }
  }

  // ---- frames and names

  /**
   * A track on the first device, named: a session restored from an earlier run may have another
   * active.
   */
  private String playArgs(Session session) {
    int user = session.getInt("user");
    String track = tracks.get(user % tracks.size());
    return "{\"uris\":[\"" + track + "\"],\"device_id\":\"" + deviceId(user, 0) + "\"}";
  }

  private String hello(int user, int device) {
    return ("{\"type\":\"hello\",\"device\":{\"id\":\"%s\",\"name\":\"Bench %d device %d\","
            + "\"type\":\"%s\",\"volume_percent\":50}}")
        .formatted(deviceId(user, device), user, device, DEVICE_TYPES[device % 4]);
  }

  private String deviceId(int user, int device) {
    return userPrefix + "-" + user + "-d" + device;
  }

  private static String socket(int device) {
    return "d" + device;
  }

  /**
   * The first half of the devices on the first node, the rest on the second (when there is one).
   */
  private String wsUrl(int device) {
    String base = !baseUrl2.isEmpty() && device >= devices / 2 ? baseUrl2 : baseUrl;
    return base.replaceFirst("^http", "ws") + "/v1/connect";
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private void count(String error) {
    errors.computeIfAbsent(error, e -> new AtomicLong()).incrementAndGet();
  }

  private static long now() {
    return CLOCK_MS + (System.nanoTime() - CLOCK_NS) / 1_000_000;
  }

  // ---- before and after

  /**
   * Signs the users in (or takes their tokens from the cache), finds the tracks to play, measures
   * the nodes' heap with none of the benchmark's devices connected and starts the coordinator that
   * lets the transfers begin once every user has arrived and the heap was measured again.
   */
  @Override
  public void before() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    tokens.addAll(
        BenchTokens.load(
            client, baseUrl, userPrefix, users, tokensFile.isEmpty() ? null : tokensFile));
    tracks.addAll(findTracks(client));
    System.out.printf(
        "%d users signed in, %d tracks to play, %d nodes to measure.%n",
        tokens.size(), tracks.size(), nodePids.size());
    if (!nodePids.isEmpty()) {
      heap.put("without", NodeHeap.measure(nodePids, histogram("without")));
    }
    Thread coordinator = new Thread(this::coordinate, "session-bench-coordinator");
    coordinator.setDaemon(true);
    coordinator.start();
  }

  /**
   * Waits until every user has arrived (or none arrived for a minute after the ramp), lets the node
   * settle, measures the heap, then lets the transfers begin.
   */
  private void coordinate() {
    try {
      int last = -1;
      long lastChange = System.currentTimeMillis();
      long rampEnd = System.currentTimeMillis() + ramp * 1000L + 60_000;
      while (arrived.get() < users) {
        Thread.sleep(200);
        int now = arrived.get();
        if (now != last) {
          last = now;
          lastChange = System.currentTimeMillis();
        } else if (System.currentTimeMillis() > rampEnd
            && System.currentTimeMillis() - lastChange > 60_000) {
          System.out.printf("Only %d of %d users arrived; going on.%n", now, users);
          break;
        }
      }
      if (allArrivedMs == 0) {
        allArrivedMs = now();
      }
      System.out.printf(
          "%d users arrived, %d devices connected (%d users with all devices).%n",
          arrived.get(), connectedDevices.get(), connectedUsers.get());
      if (!nodePids.isEmpty()) {
        Thread.sleep(settle * 1000L);
        Map<String, Object> with = NodeHeap.measure(nodePids, histogram("with"));
        with.put("devices", connectedDevices.get());
        heap.put("with", with);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      System.out.println("Measuring the heap failed: " + e);
      heap.put("error", e.toString());
    } finally {
      go.set(true);
    }
    awaitPlays();
  }

  /**
   * Waits until every connected user is done with its play and warm-up transfers (or their longest
   * possible time has passed), scrapes each node's {@code /metrics} (so the node's histograms can
   * be told for the transfers alone), then lets the transfers begin.
   */
  private void awaitPlays() {
    try {
      long deadline =
          System.currentTimeMillis()
              + (long) ((warmup + 1) * (pauseSeconds * 1500 + timeout * 1000L))
              + timeout * 1000L;
      while (played.get() < connectedUsers.get() && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      // Gatling's own heap holds 10,000 sockets made during the ramp; its first young collections
      // after it copy them all (a stop of up to half a second). A full GC now, while every user
      // waits, keeps that stop out of the measured transfers.
      System.gc();
      System.out.printf(
          "%d of %d users played and warmed up; the measured transfers begin.%n",
          played.get(), connectedUsers.get());
      scrapeMetrics("before-transfers");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      transfersGo.set(true);
    }
  }

  /** Each node's {@code /metrics} into {@code metrics-node<n>-<when>.txt} next to -Dbench.out. */
  private void scrapeMetrics(String when) throws InterruptedException {
    if (out.isEmpty()) {
      return;
    }
    // HTTP/1.1: the JDK client's default (an h2c upgrade) failed on /metrics in a cross-node run
    // ("Frame type(109) length(6516589) exceeds MAX_FRAME_SIZE"); see the README's Benchmarks.
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<String> nodes = baseUrl2.isEmpty() ? List.of(baseUrl) : List.of(baseUrl, baseUrl2);
    for (int n = 0; n < nodes.size(); n++) {
      Path file =
          Path.of(out)
              .toAbsolutePath()
              .resolveSibling("metrics-node" + (n + 1) + "-" + when + ".txt");
      try {
        client.send(
            HttpRequest.newBuilder(URI.create(nodes.get(n) + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofFile(file));
      } catch (IOException e) {
        System.out.println("Could not scrape " + nodes.get(n) + "/metrics: " + e);
        // No half-written scrape: the table then shows that node's histograms over its life.
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // Nothing more to do: the table reads what is there.
        }
      }
    }
  }

  /** Where the class histograms go: next to {@code -Dbench.out}, when it is set. */
  private String histogram(String when) {
    if (out.isEmpty()) {
      return null;
    }
    Path path = Path.of(out).toAbsolutePath();
    return path.resolveSibling("heap-histogram-" + when).toString();
  }

  private List<String> findTracks(HttpClient client) {
    if (!tracksProperty.isBlank()) {
      return Arrays.stream(tracksProperty.split(",")).map(String::strip).toList();
    }
    String url =
        baseUrl
            + "/v1/search?type=track&limit=10&q="
            + URLEncoder.encode(search, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + tokens.get(0))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      List<String> found = new ArrayList<>();
      Matcher uri = TRACK_URI.matcher(response.body());
      while (uri.find()) {
        found.add(uri.group(1));
      }
      if (response.statusCode() != 200 || found.isEmpty()) {
        throw new IllegalStateException(
            "GET "
                + url
                + " answered "
                + response.statusCode()
                + " with no track: load the demo catalog (./cadenza demo) or give -Dtracks");
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while looking for tracks", e);
    }
  }

  /** Writes the settings, the percentiles, the heap figures and the errors as JSON. */
  @Override
  public void after() {
    if (out.isEmpty()) {
      return;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("users", users);
    settings.put("devices", devices);
    settings.put("nodes", baseUrl2.isEmpty() ? 1 : 2);
    settings.put("ramp", ramp);
    settings.put("transfers", transfers);
    settings.put("warmup", warmup);
    settings.put("pause", pauseSeconds);
    settings.put("timeout", timeout);
    settings.put("tracks", tracks.size());
    result.put("settings", settings);
    result.put("transfer", summary(transferMs));
    result.put("warmup_transfer", summary(warmupMs));
    result.put("transfer_first_device", summary(firstDeviceMs));
    result.put("play", summary(playMs));
    result.put("ack", summary(ackMs));
    result.put("transfer_to_session", summary(toSessionMs));
    result.put("transfer_from_session", summary(fromSessionMs));
    result.put("time_sync", summary(syncMs));
    result.put("time_sync_to_node", summary(syncToNodeMs));
    result.put(
        "transfer_window_s",
        transferMs.isEmpty() ? 0 : (transfersLastMs.get() - transfersFirstMs.get()) / 1000.0);
    result.put("connect_s", allArrivedMs == 0 ? 0 : (allArrivedMs - connectStartMs) / 1000.0);
    result.put("users_connected", connectedUsers.get());
    result.put("devices_connected_max", maxConnectedDevices.get());
    result.put("heap", heap);
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((k, v) -> errorCounts.put(k, v.get()));
    result.put("errors", errorCounts);
    try {
      Path path = Path.of(out);
      Files.createDirectories(path.toAbsolutePath().getParent());
      Files.writeString(path, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
      StringBuilder csv = new StringBuilder("sent_ms,ack_ms,state_ms,last_device_ms\n");
      for (long[] t : transferTimes) {
        csv.append(t[0]).append(',').append(t[1]).append(',').append(t[2]).append(',');
        csv.append(t[3]).append('\n');
      }
      Files.writeString(path.resolveSibling("transfers.csv"), csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> summary(ConcurrentLinkedQueue<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("count", sorted.length);
    for (int p : new int[] {50, 95, 99, 100}) {
      summary.put(p == 100 ? "max" : "p" + p, percentile(sorted, p));
    }
    summary.put("mean", sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0));
    return summary;
  }

  /** Nearest-rank percentile of sorted values (0 when there are none). */
  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
