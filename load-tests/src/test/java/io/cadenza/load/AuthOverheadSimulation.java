package io.cadenza.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bearer-token check and the Redis rate-limit/revocation check add to a request, at a
 * fixed open-model arrival rate against one node.
 *
 * <p>Two request kinds go through the same routing, request log, security headers and error
 * handling, and both end in the edge's 404 error object:
 *
 * <ul>
 *   <li>{@code baseline}: {@code GET /no-such-path}, no auth;
 *   <li>{@code auth}: {@code GET /v1/no-such-path} with a valid bearer token of one of {@code
 *       -Dusers} real users: {@code /v1/*} runs the JWT check, then one Redis script call that
 *       checks revocation and takes from the user's and the client's buckets, then the 404.
 * </ul>
 *
 * <p>{@code -Dmode=alternate} (the default) runs phases of one kind at the full rate, baseline and
 * auth taking turns {@code -Drounds} times (B A B A ...): each kind is measured at the full rate,
 * and a slow drift of the machine hits both. {@code -Dmode=interleave} sends both kinds in turn
 * within one phase, half the rate each, so both see exactly the same moment-to-moment conditions.
 * Each phase starts with {@code -Dwarmup} seconds whose requests are named {@code warm-up ...} and
 * left out of the figures (the rate ramps up over the first half), then {@code -Dseconds} measured
 * seconds.
 *
 * <p>Every response must be the 404: a 429 (a bucket too small for the benchmark) or a 401 fails
 * the request. The status codes seen per request name and the window in which each name's responses
 * arrived are written to {@code -Dbench.out} (JSON) for the script that prints the table.
 *
 * <p>Settings: {@code -Dcadenza.baseUrl} (default http://127.0.0.1:8080), {@code -Drate} requests
 * per second (2000), {@code -Dwarmup} (20), {@code -Dseconds} (30), {@code -Drounds} (2), {@code
 * -Dmode} (alternate), {@code -Dusers} (200), {@code -Dbench.out} (not written when unset).
 */
public class AuthOverheadSimulation extends Simulation {

  private final String baseUrl = System.getProperty("cadenza.baseUrl", "http://127.0.0.1:8080");
  private final double rate = Double.parseDouble(System.getProperty("rate", "2000"));
  private final int warmup = Integer.parseInt(System.getProperty("warmup", "20"));
  private final int seconds = Integer.parseInt(System.getProperty("seconds", "30"));
  private final int rounds = Integer.parseInt(System.getProperty("rounds", "2"));
  private final String mode = System.getProperty("mode", "alternate");
  private final int users = Integer.parseInt(System.getProperty("users", "200"));
  private final String out = System.getProperty("bench.out", "");

  /** Access tokens of the benchmark users, one per user, filled in {@link #before()}. */
  private final List<String> tokens = new ArrayList<>();

  /** Per request name: how many responses had each status code. */
  private final Map<String, Map<Integer, AtomicLong>> statuses = new ConcurrentHashMap<>();

  /** Per request name: the first and the last response arrival (epoch ms). */
  private final Map<String, long[]> windows = new ConcurrentHashMap<>();

  private final AtomicLong turn = new AtomicLong();

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl)
          .acceptHeader("application/json")
          .userAgentHeader("cadenza-bench")
          .shareConnections();

  {
    if (!mode.equals("alternate") && !mode.equals("interleave")) {
      throw new IllegalArgumentException("-Dmode must be alternate or interleave: " + mode);
    }
    if (!(rate > 0 && rate <= 20_000) || warmup < 0 || seconds < 1 || seconds > 600) {
      throw new IllegalArgumentException("-Drate must be in (0, 20000], -Dseconds in [1, 600]");
    }
    if (rounds < 1 || rounds > 10 || users < 1 || users > 10_000) {
      throw new IllegalArgumentException("-Drounds must be 1-10 and -Dusers 1-10000");
    }
    List<PopulationBuilder> stages = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      if (mode.equals("alternate")) {
        for (String kind : List.of("baseline", "auth")) {
          if (warmup > 0) {
            stages.add(warmUp(kind + " " + round + " warm-up", request(kind, true), warmup));
          }
          stages.add(stage(kind + " " + round, request(kind, false), seconds));
        }
      } else {
        if (warmup > 0) {
          stages.add(warmUp("mixed " + round + " warm-up", interleaved(true), warmup));
        }
        stages.add(stage("mixed " + round, interleaved(false), seconds));
      }
    }
    int phases = mode.equals("alternate") ? 2 * rounds : rounds;
    // One after the other: each stage starts when the previous one's users are all done.
    PopulationBuilder chain = stages.get(stages.size() - 1);
    for (int i = stages.size() - 2; i >= 0; i--) {
      chain = stages.get(i).andThen(chain);
    }
    setUp(chain)
        .protocols(protocol)
        .maxDuration((long) phases * (warmup + seconds) + 120)
        .assertions(
            details("baseline").failedRequests().count().is(0L),
            details("auth").failedRequests().count().is(0L));
  }

  /**
   * A warm-up: the rate ramps from a tenth to the full rate over the first half, then holds, so the
   * JIT compiles the path before it carries the full load (as behind a load balancer's slow start),
   * and the measured phase that follows starts warm.
   */
  private PopulationBuilder warmUp(String name, ChainBuilder chain, int duration) {
    ScenarioBuilder scenario = scenario(name).exec(chain);
    int ramp = Math.max(1, duration / 2);
    return scenario.injectOpen(
        rampUsersPerSec(rate / 10).to(rate).during(ramp),
        constantUsersPerSec(rate).during(Math.max(1, duration - ramp)));
  }

  private PopulationBuilder stage(String name, ChainBuilder chain, int duration) {
    ScenarioBuilder scenario = scenario(name).exec(chain);
    return scenario.injectOpen(constantUsersPerSec(rate).during(duration));
  }

  /** Baseline and auth in turn, so each gets half of the arrivals. */
  private ChainBuilder interleaved(boolean warm) {
    return exec(
        doIfOrElse(session -> turn.getAndIncrement() % 2 == 0)
            .then(request("baseline", warm))
            .orElse(request("auth", warm)));
  }

  private ChainBuilder request(String kind, boolean warm) {
    String name = warm ? "warm-up " + kind : kind;
    var request =
        kind.equals("auth")
            ? http(name)
                .get("/v1/no-such-path")
                .header("Authorization", session -> "Bearer " + randomToken())
            : http(name).get("/no-such-path");
    return exec(request.check(status().saveAs("status"), status().is(404)))
        .exec(
            session -> {
              record(
                  name,
                  session.scenario(),
                  session.contains("status") ? session.getInt("status") : 0);
              return session.remove("status");
            });
  }

  private String randomToken() {
    return tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
  }

  private void record(String name, String stage, int status) {
    statuses
        .computeIfAbsent(name, n -> new ConcurrentHashMap<>())
        .computeIfAbsent(status, s -> new AtomicLong())
        .incrementAndGet();
    long now = System.currentTimeMillis();
    long[] window = windows.computeIfAbsent(stage + "|" + name, n -> new long[] {now, now});
    synchronized (window) {
      window[0] = Math.min(window[0], now);
      window[1] = Math.max(window[1], now);
    }
  }

  /** Signs up (or finds) the benchmark users and signs each in once, four at a time. */
  @Override
  public void before() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<String>> logins = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        int user = i;
        logins.add(
            pool.submit(() -> BenchUsers.signUpAndLogIn(client, baseUrl, "bench-user", user)));
      }
      for (var login : logins) {
        tokens.add(login.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Setting up the benchmark users failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while setting up the benchmark users", e);
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("%d benchmark users signed in at %s.%n", tokens.size(), baseUrl);
  }

  /** Writes the settings, the status codes per request name and the windows per stage. */
  @Override
  public void after() {
    if (out.isEmpty()) {
      return;
    }
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"settings\": {")
        .append(
            "\"rate\": %s, \"warmup\": %d, \"seconds\": %d, \"rounds\": %d, "
                .formatted(rate, warmup, seconds, rounds))
        .append("\"mode\": \"%s\", \"users\": %d},\n".formatted(mode, users))
        .append("  \"statuses\": {");
    String separator = "\n";
    for (var entry : new TreeMap<>(statuses).entrySet()) {
      json.append(separator).append("    \"").append(entry.getKey()).append("\": {");
      String inner = "";
      for (var code : new TreeMap<>(entry.getValue()).entrySet()) {
        json.append(inner).append('"').append(code.getKey()).append("\": ");
        json.append(code.getValue().get());
        inner = ", ";
      }
      json.append('}');
      separator = ",\n";
    }
    json.append("\n  },\n  \"windows\": {");
    separator = "\n";
    for (var entry : new TreeMap<>(windows).entrySet()) {
      long[] window = entry.getValue();
      json.append(separator).append("    \"").append(entry.getKey()).append("\": ");
      json.append("[").append(window[0]).append(", ").append(window[1]).append("]");
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
}
