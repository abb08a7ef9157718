package io.cadenza.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyLength;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Media delivery: time to first audio (TTFA) at fixed start rates, and segment throughput of the
 * node against nginx serving the same files from the same folder.
 *
 * <p>A <em>start</em> is what a player does before it can play: {@code GET} the signed master
 * playlist, the first variant it lists, that variant's {@code init.mp4} (EXT-X-MAP) and its first
 * segment, one after the other, as the group {@code ttfa <rate>/s}. Its duration, from the first
 * request sent to the last byte of the segment, is the TTFA. Starts arrive in an open model at each
 * rate of {@code -Drates}: {@code -Dwarmup} seconds (named {@code warm-up}, ramping from a tenth of
 * the rate over the first half, left out of the figures), then {@code -Dseconds} measured seconds.
 * Every response is checked: 200 and the right content type, and the playlists must name the next
 * file. The master URLs are those {@code GET /v1/tracks/{id}/media} gives the {@code -Dusers} users
 * for the {@code -Dtracks} (comma-separated track ids, ingested before the run).
 *
 * <p>Throughput: {@code -Dtput.users} virtual users each loop over the first variant's segments for
 * {@code -Dtput.seconds} seconds (closed model, one keep-alive connection each), against the node
 * (signed URLs) and against {@code -Dnginx.baseUrl} (the same store keys as plain paths) in turn,
 * {@code -Dtput.rounds} times each, in the order A B, B A, A B, ... After a warm-up of {@code
 * -Dtput.warmup} seconds per target (both JVMs, the node's and Gatling's, compile their hot code
 * under load), each measured phase follows {@code -Dtput.settle} seconds of the same load; both are
 * left out of the figures. The bytes of the bodies received and the window of the responses give
 * MB/s.
 *
 * <p>Gatling's HTTP cache is off: a player's first fetch of a file has no validator, and a 304
 * would measure nothing.
 *
 * <p>The timings, status codes and byte counts are written to {@code -Dbench.out} (JSON) for the
 * script that prints the table.
 */
public class MediaStartSimulation extends Simulation {

  private static final String PLAYLIST = "application/vnd.apple.mpegurl";
  private static final String MP4 = "audio/mp4";
  private static final Pattern HLS = Pattern.compile("\"hls\"\\s*:\\s*\"([^\"]+)\"");
  private static final String URI_LINE = "(?m)^([^#\\s]\\S*)$";
  private static final String SEGMENT_LINE = "(?m)^([^#\\s]\\S*\\.m4s)$";
  private static final String MAP_URI = "#EXT-X-MAP:URI=\"([^\"]+)\"";

  private final String baseUrl = System.getProperty("cadenza.baseUrl", "http://127.0.0.1:8080");
  private final String nginxUrl = System.getProperty("nginx.baseUrl", "");
  private final List<String> trackIds =
      Arrays.stream(System.getProperty("tracks", "").split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
  private final List<Integer> rates =
      Arrays.stream(System.getProperty("rates", "50,200").split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .map(Integer::parseInt)
          .toList();
  private final int warmup = Integer.parseInt(System.getProperty("warmup", "20"));
  private final int seconds = Integer.parseInt(System.getProperty("seconds", "30"));
  private final int users = Integer.parseInt(System.getProperty("users", "20"));
  private final int tputUsers = Integer.parseInt(System.getProperty("tput.users", "32"));
  private final int tputWarmup = Integer.parseInt(System.getProperty("tput.warmup", "20"));
  private final int tputSettle = Integer.parseInt(System.getProperty("tput.settle", "3"));
  private final int tputSeconds = Integer.parseInt(System.getProperty("tput.seconds", "15"));
  private final int tputRounds = Integer.parseInt(System.getProperty("tput.rounds", "2"));
  private final String tputVariant = System.getProperty("tput.variant", "");
  private final String out = System.getProperty("bench.out", "");

  /** Signed master URLs, one per user and track, filled in {@link #before()}. */
  private final List<String> masters = new ArrayList<>();

  /** The first variant's segments: signed URLs at the node, plain paths at nginx. */
  private final List<String> nodeSegments = new ArrayList<>();

  private final List<String> nginxSegments = new ArrayList<>();

  private String variantName = "";

  /** Per group name: the TTFA of every successful start, in ms. */
  private final Map<String, ConcurrentLinkedQueue<Double>> ttfa = new ConcurrentHashMap<>();

  /** Per group or request name: starts or responses that failed. */
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

  /** Per throughput phase: {responses, bytes, first arrival ms, last arrival ms}. */
  private final Map<String, long[]> transfers = new ConcurrentHashMap<>();

  private final HttpProtocolBuilder startProtocol =
      http.userAgentHeader("cadenza-bench").disableCaching().shareConnections();

  private final HttpProtocolBuilder tputProtocol =
      http.userAgentHeader("cadenza-bench").disableCaching();

  {
    if (trackIds.isEmpty()) {
      throw new IllegalArgumentException("-Dtracks must list the ingested track ids");
    }
    if (rates.isEmpty() && tputRounds == 0) {
      throw new IllegalArgumentException("Nothing to run: -Drates is empty and -Dtput.rounds=0");
    }
    if (rates.stream().anyMatch(r -> r < 1 || r > 5000) || seconds < 1 || seconds > 600) {
      throw new IllegalArgumentException("-Drates must be in [1, 5000], -Dseconds in [1, 600]");
    }
    if (users < 1 || users > 1000 || tputUsers < 1 || tputUsers > 1000 || tputSeconds < 1) {
      throw new IllegalArgumentException("-Dusers and -Dtput.users must be 1-1000");
    }
    if (tputRounds < 0 || tputRounds > 10 || tputSeconds > 600 || warmup < 0 || tputWarmup < 0) {
      throw new IllegalArgumentException("-Dtput.rounds must be 0-10, -Dtput.seconds at most 600");
    }
    if (tputWarmup > 600 || tputSettle < 0 || tputSettle > 60) {
      throw new IllegalArgumentException("-Dtput.warmup must be 0-600, -Dtput.settle 0-60");
    }
    List<PopulationBuilder> stages = new ArrayList<>();
    for (int rate : rates) {
      if (warmup > 0) {
        int ramp = Math.max(1, warmup / 2);
        stages.add(
            scenario("warm-up " + rate + "/s")
                .exec(start("warm-up " + rate + "/s"))
                .injectOpen(
                    rampUsersPerSec(Math.max(1, rate / 10)).to(rate).during(ramp),
                    constantUsersPerSec(rate).during(Math.max(1, warmup - ramp)))
                .protocols(startProtocol));
      }
      stages.add(
          scenario("ttfa " + rate + "/s")
              .exec(start("ttfa " + rate + "/s"))
              .injectOpen(constantUsersPerSec(rate).during(seconds))
              .protocols(startProtocol));
    }
    List<String> targets = nginxUrl.isEmpty() ? List.of("cadenza") : List.of("cadenza", "nginx");
    if (tputRounds > 0 && tputWarmup > 0) {
      // Both JVMs (the node's and Gatling's own) compile their hot code in the first tens of
      // seconds of load; measured before that, the first target would pay for both.
      for (String target : targets) {
        stages.add(transfer("warm-up " + target, target, tputWarmup));
      }
    }
    for (int round = 1; round <= tputRounds; round++) {
      // A B, then B A: neither server always comes first or last.
      List<String> order = new ArrayList<>(targets);
      if (round % 2 == 0) {
        java.util.Collections.reverse(order);
      }
      for (String target : order) {
        if (tputSettle > 0) {
          stages.add(transfer("warm-up " + target + " " + round, target, tputSettle));
        }
        stages.add(transfer(target + " " + round, target, tputSeconds));
      }
    }
    PopulationBuilder chain = stages.get(stages.size() - 1);
    for (int i = stages.size() - 2; i >= 0; i--) {
      chain = stages.get(i).andThen(chain);
    }
    long total =
        (long) rates.size() * (warmup + seconds)
            + (long) targets.size() * (tputWarmup + tputRounds * (tputSettle + tputSeconds));
    setUp(chain).maxDuration(total + 120);
  }

  /** One start: master, first variant, init segment, first segment; its duration is the TTFA. */
  private ChainBuilder start(String name) {
    return exec(session ->
            session
                .set("master", masters.get(ThreadLocalRandom.current().nextInt(masters.size())))
                .set("t0", System.nanoTime()))
        .group(name)
        .on(
            exec(http("master")
                    .get(session -> session.getString("master"))
                    .check(
                        status().is(200),
                        header("Content-Type").is(PLAYLIST),
                        regex(URI_LINE).saveAs("variant")))
                .exec(
                    session ->
                        session.set(
                            "variantUrl",
                            resolve(session.getString("master"), session.getString("variant"))))
                .exec(
                    http("variant")
                        .get(session -> session.getString("variantUrl"))
                        .check(
                            status().is(200),
                            header("Content-Type").is(PLAYLIST),
                            regex(MAP_URI).saveAs("init"),
                            regex(SEGMENT_LINE).saveAs("segment")))
                .exec(
                    http("init")
                        .get(
                            session ->
                                resolve(session.getString("variantUrl"), session.getString("init")))
                        .check(status().is(200), header("Content-Type").is(MP4)))
                .exec(
                    http("segment")
                        .get(
                            session ->
                                resolve(
                                    session.getString("variantUrl"), session.getString("segment")))
                        .check(status().is(200), header("Content-Type").is(MP4))))
        .exec(
            session -> {
              if (session.isFailed()) {
                failures.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
              } else {
                double ms = (System.nanoTime() - session.getLong("t0")) / 1e6;
                ttfa.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>()).add(ms);
              }
              return session;
            });
  }

  /** N users, each looping over the segments on its own keep-alive connection for the phase. */
  private PopulationBuilder transfer(String name, String target, int duration) {
    List<String> urls = target.equals("nginx") ? nginxSegments : nodeSegments;
    return scenario(name)
        .exec(session -> session.set("i", ThreadLocalRandom.current().nextInt(1_000_000)))
        .during(Duration.ofSeconds(duration))
        .on(
            exec(http(name)
                    .get(
                        session -> {
                          int i = session.getInt("i");
                          return urls.get(i % urls.size());
                        })
                    .check(
                        status().is(200),
                        header("Content-Type").is(MP4),
                        bodyLength().saveAs("bytes")))
                .exec(
                    session -> {
                      recordTransfer(name, session);
                      // A failure is counted once; the loop goes on with a clean session.
                      return session
                          .set("i", session.getInt("i") + 1)
                          .remove("bytes")
                          .markAsSucceeded();
                    }))
        .injectOpen(atOnceUsers(tputUsers))
        .protocols(tputProtocol);
  }

  private void recordTransfer(String name, Session session) {
    if (session.isFailed() || !session.contains("bytes")) {
      failures.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
      return;
    }
    long now = System.currentTimeMillis();
    long[] t = transfers.computeIfAbsent(name, n -> new long[] {0, 0, now, now});
    synchronized (t) {
      t[0]++;
      t[1] += session.getInt("bytes");
      t[2] = Math.min(t[2], now);
      t[3] = Math.max(t[3], now);
    }
  }

  private static String resolve(String base, String relative) {
    return URI.create(base).resolve(relative).toString();
  }

  /** Signs the users up (or in), fetches their media links and the first variant's segments. */
  @Override
  public void before() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      for (int user = 0; user < users; user++) {
        String token = BenchUsers.signUpAndLogIn(client, baseUrl, "media-bench", user);
        for (String track : trackIds) {
          HttpResponse<String> media =
              client.send(
                  HttpRequest.newBuilder(URI.create(baseUrl + "/v1/tracks/" + track + "/media"))
                      .timeout(Duration.ofSeconds(30))
                      .header("Authorization", "Bearer " + token)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          Matcher hls = HLS.matcher(media.body());
          if (media.statusCode() != 200 || !hls.find()) {
            throw new IllegalStateException(
                "GET /v1/tracks/%s/media answered %d: %s"
                    .formatted(track, media.statusCode(), media.body()));
          }
          String master = hls.group(1);
          masters.add(master);
          if (user == 0) {
            addSegments(client, master);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while setting up the benchmark", e);
    }
    System.out.printf(
        "%d master URLs, %d segments of %s for the throughput phases, at %s.%n",
        masters.size(), nodeSegments.size(), variantName, baseUrl);
  }

  private void addSegments(HttpClient client, String master)
      throws IOException, InterruptedException {
    Matcher variant = Pattern.compile(URI_LINE).matcher(get(client, master));
    boolean found = false;
    while (!found && variant.find()) {
      found = tputVariant.isEmpty() || variant.group(1).startsWith(tputVariant + "/");
    }
    if (!found) {
      throw new IllegalStateException(
          "The master playlist lists no variant " + tputVariant + ": " + master);
    }
    variantName = variant.group(1);
    String variantUrl = resolve(master, variant.group(1));
    Matcher segment = Pattern.compile(SEGMENT_LINE).matcher(get(client, variantUrl));
    while (segment.find()) {
      String url = resolve(variantUrl, segment.group(1));
      nodeSegments.add(url);
      // /media/<token>/<store key>: nginx serves the store folder, so the key is the path.
      String path = URI.create(url).getPath();
      String key = path.substring(path.indexOf('/', "/media/".length()) + 1);
      nginxSegments.add(nginxUrl + "/" + key);
    }
  }

  private static String get(HttpClient client, String url)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** Writes the settings, TTFA percentiles, failures and transfer totals as JSON. */
  @Override
  public void after() {
    if (out.isEmpty()) {
      return;
    }
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"settings\": {")
        .append(
            "\"rates\": \"%s\", \"warmup\": %d, \"seconds\": %d, \"users\": %d, \"tracks\": %d, "
                .formatted(rates, warmup, seconds, users, trackIds.size()))
        .append(
            "\"tput_users\": %d, \"tput_seconds\": %d, \"tput_rounds\": %d, \"variant\": \"%s\", "
                .formatted(tputUsers, tputSeconds, tputRounds, variantName))
        .append(
            "\"tput_warmup\": %d, \"tput_settle\": %d, \"segments\": %d},\n"
                .formatted(tputWarmup, tputSettle, nodeSegments.size()))
        .append("  \"ttfa\": {");
    String separator = "\n";
    for (var entry : new TreeMap<>(ttfa).entrySet()) {
      double[] values =
          entry.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      json.append(separator).append("    \"").append(entry.getKey()).append("\": {");
      json.append("\"count\": ").append(values.length);
      for (double p : new double[] {50, 95, 99, 100}) {
        json.append(", \"p%s\": %.2f".formatted((int) p, percentile(values, p)));
      }
      json.append('}');
      separator = ",\n";
    }
    json.append("\n  },\n  \"transfers\": {");
    separator = "\n";
    for (var entry : new TreeMap<>(transfers).entrySet()) {
      long[] t = entry.getValue();
      json.append(separator).append("    \"").append(entry.getKey()).append("\": ");
      json.append(
          "{\"responses\": %d, \"bytes\": %d, \"first_ms\": %d, \"last_ms\": %d}"
              .formatted(t[0], t[1], t[2], t[3]));
      separator = ",\n";
    }
    json.append("\n  },\n  \"failures\": {");
    separator = "\n";
    for (var entry : new TreeMap<>(failures).entrySet()) {
      json.append(separator).append("    \"").append(entry.getKey()).append("\": ");
      json.append(entry.getValue().get());
      separator = ",\n";
    }
    json.append("\n  }\n}\n");
    try {
      Path path = Path.of(out);
      Files.createDirectories(path.toAbsolutePath().getParent());
      Files.writeString(path, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Nearest-rank percentile of sorted values (0 when there are none). */
  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
