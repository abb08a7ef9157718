package io.cadenza.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog and search benchmark: {@code /v1/search} with a query mix at a fixed open-model
 * arrival rate, compared with the node's own time inside the Lucene index for the same requests;
 * then {@code /v1/tracks/{id}} at a higher rate, warm, and the catalog caches' hit ratio.
 *
 * <p>Set-up ({@link #before()}): {@code -Dsample} tracks are read straight from ScyllaDB ({@code
 * -Dcql}, local DC {@code datacenter1}, keyspace {@code -Dkeyspace}), each the first row after a
 * random token ({@code SELECT ... FROM tracks WHERE token(id) > ? LIMIT 1}, 32 in flight), with
 * their albums and artists. An app registers with the admin API ({@code -Dcadenza.adminToken}) and
 * takes a client-credentials token; every request carries it.
 *
 * <p>Search phase: {@code GET /v1/search?q=...&type=track,artist,album} (default limit) at {@code
 * -Dsearch.rate}. The arrivals take the four kinds in turn, so each gets a quarter; each kind has
 * one query per sampled track (where the track allows one), drawn at random:
 *
 * <ul>
 *   <li>{@code exact}: the track's full name and its first artist's name, or the artist's full name
 *       (alternately);
 *   <li>{@code prefix}: type-ahead, the first words (up to three) of an artist's or a track's name,
 *       the last of them cut to its first 2-4 letters ({@code Iron Ma});
 *   <li>{@code typo}: an artist's or a track's name with one letter of a word of at least 5 letters
 *       replaced or swapped with its neighbour;
 *   <li>{@code filtered}: in turn {@code <word> artist:<artist>}, {@code genre:<genre>
 *       year:<decade> <word>}, {@code album:<album>} and {@code year:<year> <word>}, from the
 *       track's name, album (release year, genres) and artist, values of several words quoted as
 *       Spotify writes them ({@code artist:"Iron Maiden"}); {@code -Dquoted=false} sends one filter
 *       per word instead ({@code album:Lovely album:Formation}, every filter a one-word phrase).
 *       Double quotes in names are dropped from the other kinds.
 * </ul>
 *
 * <p>Every 200 answer carries {@code Server-Timing: lucene;dur=<ms>}, the node's own time inside
 * the index for that request; the simulation records it per kind for the measured requests (a
 * missing header is counted as missing, never filled in) together with its own wall-clock time of
 * the request (sub-millisecond, around Gatling's request action).
 *
 * <p>Lookup phase: {@code GET /v1/tracks/{id}} at {@code -Dlookup.rate}, the ids drawn from the
 * sample with a Zipf distribution (exponent {@code -Dzipf}, default 1.0) over the sampled tracks
 * ranked by their {@code popularity} column, so the caches see the reuse of a real catalog where a
 * few tracks get most of the plays. The node's {@code /metrics} is fetched right before and right
 * after the measured lookup seconds and written next to {@code -Dbench.out} ({@code
 * metrics-before.txt}, {@code metrics-after.txt}) for the cache hit ratio.
 *
 * <p>Each phase starts with {@code -Dwarmup} seconds whose requests are named {@code warm-up ...}
 * and left out (the rate ramps from a tenth over the first half), then {@code -Dseconds} measured.
 * Every response must be 200. An arrival that finds {@code -Dmax.inflight} requests still waiting
 * for their answers is not sent but counted as shed (the node is past its capacity; an open model
 * would otherwise pile up requests and connections for the rest of the phase). The settings, sample
 * sizes, status codes, windows and shed arrivals per request name, and the Lucene and wall-clock
 * percentiles are written to {@code -Dbench.out} (JSON).
 *
 * <p>Settings: {@code -Dcadenza.baseUrl} (http://127.0.0.1:8080), {@code -Dcadenza.adminToken}
 * (required), {@code -Dcql} (127.0.0.1:19042), {@code -Dkeyspace} (cadenza), {@code -Dsample}
 * (2000), {@code -Dseed} (1, the query mix), {@code -Dsearch.rate} (500), {@code -Dlookup.rate}
 * (2000), {@code -Dwarmup} (20), {@code -Dseconds} (60), {@code -Dzipf} (1.0), {@code -Dquoted}
 * (true), {@code -Dmax.inflight} (1000), {@code -Dbench.out} (not written when unset).
 */
public class CatalogSimulation extends Simulation {

  static final List<String> KINDS = List.of("exact", "prefix", "typo", "filtered");
  private static final Pattern ACCESS_TOKEN =
      Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern JSON_FIELD =
      Pattern.compile("\"(client_id|client_secret)\"\\s*:\\s*\"([^\"]+)\"");

  private static final Pattern LUCENE =
      Pattern.compile("(?:^|[,\\s])lucene;(?:[^,]*;)?dur=([0-9.]+)");

  private final String baseUrl = System.getProperty("cadenza.baseUrl", "http://127.0.0.1:8080");
  private final String adminToken = System.getProperty("cadenza.adminToken", "");
  private final String cql = System.getProperty("cql", "127.0.0.1:19042");
  private final String keyspace = System.getProperty("keyspace", "cadenza");
  private final int sampleSize = Integer.parseInt(System.getProperty("sample", "2000"));
  private final long seed = Long.parseLong(System.getProperty("seed", "1"));
  private final double searchRate = Double.parseDouble(System.getProperty("search.rate", "500"));
  private final double lookupRate = Double.parseDouble(System.getProperty("lookup.rate", "2000"));
  private final int warmup = Integer.parseInt(System.getProperty("warmup", "20"));
  private final int seconds = Integer.parseInt(System.getProperty("seconds", "60"));
  private final double zipf = Double.parseDouble(System.getProperty("zipf", "1.0"));
  private final int maxInFlight = Integer.parseInt(System.getProperty("max.inflight", "1000"));
  private final boolean quotedFilters = Boolean.parseBoolean(System.getProperty("quoted", "true"));
  private final String out = System.getProperty("bench.out", "");

  private volatile String token = "";

  /** Per kind: the queries, filled in {@link #before()}. */
  private final Map<String, List<String>> queries = new LinkedHashMap<>();

  /** Track ids by rank (most popular first) and the Zipf distribution's cumulative weights. */
  private final List<String> lookupIds = new ArrayList<>();

  private double[] cumulative = new double[0];
  private int tracksSampled;
  private int albumsRead;
  private int artistsRead;

  /** Per request name: how many responses had each status code. */
  private final Map<String, Map<Integer, AtomicLong>> statuses = new ConcurrentHashMap<>();

  /** Per request name: the first and the last response arrival (epoch ms). */
  private final Map<String, long[]> windows = new ConcurrentHashMap<>();

  /** Per measured search kind: the Lucene time of each 200 answer (ms). */
  private final Map<String, ConcurrentLinkedQueue<Double>> lucene = new ConcurrentHashMap<>();

  /** Per measured request name: the simulation's own wall-clock time of each 200 answer (ms). */
  private final Map<String, ConcurrentLinkedQueue<Double>> wall = new ConcurrentHashMap<>();

  /** Per measured search kind: 200 answers without a Server-Timing lucene entry. */
  private final Map<String, AtomicLong> missingTiming = new ConcurrentHashMap<>();

  /** Per search kind: the first few queries that did not answer 200, with the status. */
  private final Map<String, List<String>> failedQueries = new ConcurrentHashMap<>();

  private final AtomicLong turn = new AtomicLong();

  /** Requests sent and not answered yet; arrivals beyond {@code -Dmax.inflight} are shed. */
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Per request name: arrivals not sent because too many requests were waiting. */
  private final Map<String, AtomicLong> shed = new ConcurrentHashMap<>();

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl)
          .acceptHeader("application/json")
          .userAgentHeader("cadenza-bench")
          .disableCaching()
          .shareConnections();

  {
    if (adminToken.isEmpty()) {
      throw new IllegalArgumentException("-Dcadenza.adminToken is required (the stack's secrets)");
    }
    if (!(searchRate > 0 && searchRate <= 20_000) || !(lookupRate > 0 && lookupRate <= 20_000)) {
      throw new IllegalArgumentException("-Dsearch.rate and -Dlookup.rate must be in (0, 20000]");
    }
    if (warmup < 0 || warmup > 600 || seconds < 1 || seconds > 600) {
      throw new IllegalArgumentException("-Dwarmup must be 0-600 and -Dseconds 1-600");
    }
    if (maxInFlight < 1 || maxInFlight > 100_000) {
      throw new IllegalArgumentException("-Dmax.inflight must be 1-100000");
    }
    if (sampleSize < 20 || sampleSize > 100_000 || !(zipf >= 0 && zipf <= 5)) {
      throw new IllegalArgumentException("-Dsample must be 20-100000 and -Dzipf 0-5");
    }
    List<PopulationBuilder> stages = new ArrayList<>();
    if (warmup > 0) {
      stages.add(warmUp("warm-up search", search(true), searchRate));
    }
    stages.add(measured("search", search(false), searchRate));
    if (warmup > 0) {
      stages.add(warmUp("warm-up lookup", lookup(true), lookupRate));
    }
    stages.add(scrape("metrics-before"));
    stages.add(measured("lookup", lookup(false), lookupRate));
    stages.add(scrape("metrics-after"));
    // One after the other: each stage starts when the previous one's users are all done.
    PopulationBuilder chain = stages.get(stages.size() - 1);
    for (int i = stages.size() - 2; i >= 0; i--) {
      chain = stages.get(i).andThen(chain);
    }
    List<Assertion> assertions = new ArrayList<>();
    for (String kind : KINDS) {
      assertions.add(details("search " + kind).failedRequests().count().is(0L));
    }
    assertions.add(details("lookup").failedRequests().count().is(0L));
    setUp(chain)
        .protocols(protocol)
        .maxDuration(2L * (warmup + seconds) + 120)
        .assertions(assertions);
  }

  /** The rate ramps from a tenth to the full rate over the first half, then holds. */
  private PopulationBuilder warmUp(String name, ChainBuilder chain, double rate) {
    int ramp = Math.max(1, warmup / 2);
    return scenario(name)
        .exec(chain)
        .injectOpen(
            rampUsersPerSec(rate / 10).to(rate).during(ramp),
            constantUsersPerSec(rate).during(Math.max(1, warmup - ramp)));
  }

  private PopulationBuilder measured(String name, ChainBuilder chain, double rate) {
    return scenario(name).exec(chain).injectOpen(constantUsersPerSec(rate).during(seconds));
  }

  /** One GET /metrics, its text written next to the bench JSON as {@code <name>.txt}. */
  private PopulationBuilder scrape(String name) {
    return scenario(name)
        .exec(
            http(name)
                .get("/metrics")
                .header("Accept", "text/plain")
                .check(status().is(200), bodyString().saveAs("metrics")))
        .exec(
            session -> {
              if (!out.isEmpty() && session.contains("metrics")) {
                write(
                    Path.of(out).toAbsolutePath().resolveSibling(name + ".txt"),
                    session.getString("metrics"));
              }
              return session.remove("metrics");
            })
        .injectOpen(atOnceUsers(1));
  }

  /** One search of the next kind in turn, a random query of that kind. */
  private ChainBuilder search(boolean warm) {
    return exec(session -> {
          String kind = KINDS.get((int) (turn.getAndIncrement() % KINDS.size()));
          List<String> list = queries.get(kind);
          String q = list.get(ThreadLocalRandom.current().nextInt(list.size()));
          String name = (warm ? "warm-up search " : "search ") + kind;
          // Encoded here: Gatling leaves a double quote as it is, and a raw quote makes a
          // malformed request line (400).
          String path =
              "/v1/search?q="
                  + URLEncoder.encode(q, StandardCharsets.UTF_8).replace("+", "%20")
                  + "&type=track,artist,album";
          return session.set("kind", kind).set("name", name).set("q", q).set("path", path);
        })
        .exec(
            bounded(
                session -> session.getString("name"),
                exec(session -> session.set("t0", System.nanoTime()))
                    .exec(
                        http("#{name}")
                            .get("#{path}")
                            .header("Authorization", session -> "Bearer " + token)
                            .check(
                                status().saveAs("status"),
                                status().is(200),
                                header("Server-Timing").optional().saveAs("timing")))
                    .exec(session -> recordSearch(session, warm))));
  }

  /**
   * Sends the request unless {@code -Dmax.inflight} requests are already waiting for an answer: a
   * node that cannot keep up would otherwise collect an ever longer queue (and as many open
   * connections) for the rest of the phase. An arrival not sent is counted as shed, never as a
   * response.
   */
  private ChainBuilder bounded(Function<Session, String> name, ChainBuilder request) {
    return doIfOrElse(session -> inFlight.incrementAndGet() <= maxInFlight)
        .then(
            request.exec(
                session -> {
                  inFlight.decrementAndGet();
                  return session;
                }))
        .orElse(
            exec(
                session -> {
                  inFlight.decrementAndGet();
                  shed.computeIfAbsent(name.apply(session), n -> new AtomicLong())
                      .incrementAndGet();
                  return session;
                }));
  }

  /** One track by id, drawn from the sample with the Zipf distribution. */
  private ChainBuilder lookup(boolean warm) {
    String name = warm ? "warm-up lookup" : "lookup";
    return bounded(
        session -> name,
        exec(session -> session.set("id", zipfId()).set("t0", System.nanoTime()))
            .exec(
                http(name)
                    .get("/v1/tracks/#{id}")
                    .header("Authorization", session -> "Bearer " + token)
                    .check(status().saveAs("status"), status().is(200)))
            .exec(
                session -> {
                  int code = session.contains("status") ? session.getInt("status") : 0;
                  record(name, session.scenario(), code);
                  if (!warm && code == 200) {
                    addWall(name, session);
                  }
                  return session.remove("status").remove("id").remove("t0");
                }));
  }

  private Session recordSearch(Session session, boolean warm) {
    String name = session.getString("name");
    String kind = session.getString("kind");
    int code = session.contains("status") ? session.getInt("status") : 0;
    record(name, session.scenario(), code);
    if (code != 200) {
      List<String> seen = failedQueries.computeIfAbsent(kind, k -> new ArrayList<>());
      synchronized (seen) {
        if (seen.size() < 5) {
          seen.add(code + " " + session.getString("q"));
        }
      }
    }
    if (!warm && code == 200) {
      addWall(name, session);
      String timing = session.contains("timing") ? session.getString("timing") : null;
      Matcher m = timing == null ? null : LUCENE.matcher(timing);
      if (m != null && m.find()) {
        lucene
            .computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>())
            .add(Double.parseDouble(m.group(1)));
      } else {
        missingTiming.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      }
    }
    return session.remove("status").remove("timing").remove("q").remove("path").remove("t0");
  }

  private void addWall(String name, Session session) {
    double ms = (System.nanoTime() - session.getLong("t0")) / 1e6;
    wall.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>()).add(ms);
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

  private String zipfId() {
    double u = ThreadLocalRandom.current().nextDouble();
    int i = java.util.Arrays.binarySearch(cumulative, u);
    int rank = i >= 0 ? i : -i - 1;
    return lookupIds.get(Math.min(rank, lookupIds.size() - 1));
  }

  // ---------------------------------------------------------------------------------------------
  // Set-up: the sample, the queries, the app token
  // ---------------------------------------------------------------------------------------------

  record SampledTrack(
      String id, String name, String albumId, List<String> artistIds, int popularity) {}

  record SampledAlbum(String name, String releaseDate, List<String> genres) {}

  record SampledArtist(String name, List<String> genres) {}

  @Override
  public void before() {
    long t0 = System.nanoTime();
    Map<String, SampledTrack> tracks = new LinkedHashMap<>();
    Map<String, SampledAlbum> albums = new ConcurrentHashMap<>();
    Map<String, SampledArtist> artists = new ConcurrentHashMap<>();
    String[] hostPort = cql.split(":");
    try (CqlSession cqlSession =
        CqlSession.builder()
            .addContactPoint(
                new InetSocketAddress(
                    hostPort[0], hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 9042))
            .withLocalDatacenter("datacenter1")
            .withKeyspace(keyspace)
            .build()) {
      PreparedStatement next =
          cqlSession.prepare(
              "SELECT id, name, album_id, artist_ids, popularity FROM tracks WHERE token(id) > ?"
                  + " LIMIT 1");
      Random random = new Random(seed);
      List<Long> tokens = new ArrayList<>();
      for (int i = 0; i < sampleSize; i++) {
        tokens.add(random.nextLong());
      }
      Map<String, SampledTrack> found = new ConcurrentHashMap<>();
      inParallel(
          tokens,
          tok ->
              cqlSession
                  .executeAsync(next.bind(tok))
                  .thenAccept(
                      rs -> {
                        Row row = rs.one();
                        if (row != null && row.getString("name") != null) {
                          List<String> artistIds = row.getList("artist_ids", String.class);
                          found.put(
                              row.getString("id"),
                              new SampledTrack(
                                  row.getString("id"),
                                  row.getString("name"),
                                  row.getString("album_id"),
                                  artistIds == null ? List.of() : artistIds,
                                  row.isNull("popularity") ? 0 : row.getInt("popularity")));
                        }
                      }));
      found.values().stream()
          .sorted(Comparator.comparing(SampledTrack::id))
          .forEach(t -> tracks.put(t.id(), t));
      PreparedStatement album =
          cqlSession.prepare("SELECT name, release_date, genres FROM albums WHERE id = ?");
      PreparedStatement artist =
          cqlSession.prepare("SELECT name, genres FROM artists WHERE id = ?");
      inParallel(
          tracks.values().stream()
              .map(SampledTrack::albumId)
              .filter(a -> a != null)
              .distinct()
              .toList(),
          id ->
              cqlSession
                  .executeAsync(album.bind(id))
                  .thenAccept(
                      rs -> {
                        Row row = rs.one();
                        if (row != null && row.getString("name") != null) {
                          albums.put(
                              id,
                              new SampledAlbum(
                                  row.getString("name"),
                                  row.getString("release_date"),
                                  row.getList("genres", String.class)));
                        }
                      }));
      inParallel(
          tracks.values().stream().flatMap(t -> t.artistIds().stream()).distinct().toList(),
          id ->
              cqlSession
                  .executeAsync(artist.bind(id))
                  .thenAccept(
                      rs -> {
                        Row row = rs.one();
                        if (row != null && row.getString("name") != null) {
                          artists.put(
                              id,
                              new SampledArtist(
                                  row.getString("name"), row.getList("genres", String.class)));
                        }
                      }));
    }
    tracksSampled = tracks.size();
    albumsRead = albums.size();
    artistsRead = artists.size();
    if (tracks.size() < 20) {
      throw new IllegalStateException(
          "The catalog in keyspace "
              + keyspace
              + " has too few tracks to sample: "
              + tracks.size());
    }
    buildQueries(new ArrayList<>(tracks.values()), albums, artists);
    buildLookups(new ArrayList<>(tracks.values()));
    token = appToken();
    if (!out.isEmpty()) {
      StringBuilder list = new StringBuilder();
      queries.forEach(
          (kind, qs) -> qs.forEach(q -> list.append(kind).append('\t').append(q).append('\n')));
      write(Path.of(out).toAbsolutePath().resolveSibling("queries.tsv"), list.toString());
    }
    System.out.printf(
        "Sampled %d tracks, %d albums, %d artists in %.1f s; queries per kind: %s; at %s.%n",
        tracksSampled,
        albumsRead,
        artistsRead,
        (System.nanoTime() - t0) / 1e9,
        queries.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).toList(),
        baseUrl);
  }

  /** Runs the calls with at most 32 in flight and waits for them all. */
  private static <T> void inParallel(List<T> items, Function<T, CompletionStage<?>> call) {
    Semaphore permits = new Semaphore(32);
    List<CompletableFuture<?>> all = new ArrayList<>();
    try {
      for (T item : items) {
        permits.acquire();
        all.add(call.apply(item).toCompletableFuture().whenComplete((r, e) -> permits.release()));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while sampling the catalog", e);
    } catch (Exception e) {
      throw new IllegalStateException("Sampling the catalog failed: " + e.getMessage(), e);
    }
  }

  private void buildQueries(
      List<SampledTrack> tracks,
      Map<String, SampledAlbum> albums,
      Map<String, SampledArtist> artists) {
    Random random = new Random(seed);
    for (String kind : KINDS) {
      queries.put(kind, new ArrayList<>());
    }
    int i = 0;
    for (SampledTrack track : tracks) {
      i++;
      SampledArtist artist =
          track.artistIds().isEmpty() ? null : artists.get(track.artistIds().get(0));
      SampledAlbum album = track.albumId() == null ? null : albums.get(track.albumId());
      String artistName = artist == null ? null : artist.name();
      // exact: the track's full name and its artist's, or the artist's full name.
      if (artistName != null) {
        queries.get("exact").add(i % 2 == 0 ? track.name() + " " + artistName : artistName);
      } else {
        queries.get("exact").add(track.name());
      }
      // prefix: type-ahead over an artist's or a track's name.
      String prefixOf = artistName != null && i % 2 == 0 ? artistName : track.name();
      String prefix = prefix(prefixOf, random);
      if (prefix != null) {
        queries.get("prefix").add(prefix);
      }
      // typo: one letter replaced or swapped in a word of at least 5 letters.
      String typo = typo(i % 2 == 0 && artistName != null ? artistName : track.name(), random);
      if (typo == null) {
        typo = typo(i % 2 == 0 || artistName == null ? track.name() : artistName, random);
      }
      if (typo != null) {
        queries.get("typo").add(typo);
      }
      String filtered = filtered(i % 4, track, album, artist, quotedFilters, random);
      if (filtered != null) {
        queries.get("filtered").add(filtered);
      }
    }
    for (String kind : List.of("exact", "prefix", "typo")) {
      // A name's own double quote would make the query a quoted phrase (see -Dquoted).
      queries.get(kind).replaceAll(q -> q.replace("\"", "").strip());
      queries.get(kind).removeIf(String::isEmpty);
    }
    for (var entry : queries.entrySet()) {
      if (entry.getValue().isEmpty()) {
        throw new IllegalStateException("The sample gave no " + entry.getKey() + " query");
      }
    }
  }

  static String prefix(String name, Random random) {
    String[] words = name.strip().split("\\s+");
    int n = Math.min(words.length, 1 + random.nextInt(3));
    String last = words[n - 1];
    int letters = last.codePointCount(0, last.length());
    if (letters < 3) {
      return n > 1 ? String.join(" ", java.util.Arrays.copyOf(words, n - 1)) + " " + last : null;
    }
    int keep = Math.min(letters - 1, 2 + random.nextInt(3));
    words[n - 1] = last.substring(0, last.offsetByCodePoints(0, keep));
    return String.join(" ", java.util.Arrays.copyOf(words, n));
  }

  static String typo(String name, Random random) {
    String[] words = name.strip().split("\\s+");
    List<Integer> candidates = new ArrayList<>();
    for (int w = 0; w < words.length; w++) {
      if (words[w].length() >= 5 && words[w].chars().allMatch(Character::isLetter)) {
        candidates.add(w);
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    int w = candidates.get(random.nextInt(candidates.size()));
    char[] word = words[w].toCharArray();
    // Not the first letter: a type-ahead index matches on it, as people rarely miss it.
    int at = 1 + random.nextInt(word.length - 2);
    if (random.nextBoolean() && word[at] != word[at + 1]) {
      char c = word[at];
      word[at] = word[at + 1];
      word[at + 1] = c;
    } else {
      char c;
      do {
        c = (char) ('a' + random.nextInt(26));
      } while (c == Character.toLowerCase(word[at]));
      word[at] = c;
    }
    words[w] = new String(word);
    return String.join(" ", words);
  }

  /** A filtered query of form {@code form} (0-3), or another form when the data lacks it. */
  static String filtered(
      int form,
      SampledTrack track,
      SampledAlbum album,
      SampledArtist artist,
      boolean quoted,
      Random random) {
    String word = word(track.name(), random);
    String year = album == null ? null : year(album.releaseDate());
    List<String> genres = new ArrayList<>();
    if (album != null && album.genres() != null) {
      genres.addAll(album.genres());
    }
    if (genres.isEmpty() && artist != null && artist.genres() != null) {
      genres.addAll(artist.genres());
    }
    if (!quoted) {
      // genre: matches a whole genre, which cannot be split into one filter per word.
      genres.removeIf(g -> !g.strip().matches("[\\p{L}\\p{N}-]+"));
    }
    for (int attempt = 0; attempt < 4; attempt++) {
      switch ((form + attempt) % 4) {
        case 0 -> {
          String filter = artist == null ? null : filter("artist", artist.name(), quoted);
          if (filter != null) {
            return word + " " + filter;
          }
        }
        case 1 -> {
          if (year != null && !genres.isEmpty()) {
            int decade = Integer.parseInt(year) / 10 * 10;
            String genre = genres.get(random.nextInt(genres.size()));
            return "%s year:%d-%d %s"
                .formatted(filter("genre", genre, true), decade, decade + 9, word);
          }
        }
        case 2 -> {
          String filter = album == null ? null : filter("album", album.name(), quoted);
          if (filter != null) {
            return filter;
          }
        }
        default -> {
          if (year != null) {
            return "year:" + year + " " + word;
          }
        }
      }
    }
    return null;
  }

  /**
   * {@code field:"value"} when {@code quoted} (or the value is one word), else one {@code
   * field:word} per word of the value (an item must match every filter, each a phrase of one word
   * in that field); null when the value has no word.
   */
  static String filter(String field, String value, boolean quoted) {
    List<String> words = new ArrayList<>();
    for (String w : value.replace("\"", "").replace(":", " ").strip().split("\\s+")) {
      if (w.codePoints().anyMatch(Character::isLetterOrDigit)) {
        words.add(w);
      }
    }
    if (words.isEmpty()) {
      return null;
    }
    if (words.size() == 1) {
      return field + ":" + words.get(0);
    }
    if (quoted) {
      return field + ":\"" + String.join(" ", words) + "\"";
    }
    return words.stream()
        .map(w -> field + ":" + w)
        .collect(java.util.stream.Collectors.joining(" "));
  }

  /** A word of the name: one of at least 3 letters when there is one. */
  private static String word(String name, Random random) {
    String[] words = name.strip().split("\\s+");
    List<String> long3 = new ArrayList<>();
    for (String w : words) {
      String clean = w.replaceAll("[\\p{Punct}]", "");
      if (clean.length() >= 3 && !clean.contains(":")) {
        long3.add(clean);
      }
    }
    if (long3.isEmpty()) {
      return words[random.nextInt(words.length)].replace("\"", "").replace(":", "");
    }
    return long3.get(random.nextInt(long3.size()));
  }

  private static String year(String releaseDate) {
    return releaseDate != null && releaseDate.matches("\\d{4}(-.*)?")
        ? releaseDate.substring(0, 4)
        : null;
  }

  /** Ranks the sampled tracks by popularity (ties by id) and builds the Zipf weights. */
  private void buildLookups(List<SampledTrack> tracks) {
    tracks.sort(
        Comparator.comparingInt(SampledTrack::popularity)
            .reversed()
            .thenComparing(SampledTrack::id));
    cumulative = new double[tracks.size()];
    double sum = 0;
    for (int rank = 0; rank < tracks.size(); rank++) {
      lookupIds.add(tracks.get(rank).id());
      sum += 1 / Math.pow(rank + 1, zipf);
      cumulative[rank] = sum;
    }
    for (int rank = 0; rank < cumulative.length; rank++) {
      cumulative[rank] /= sum;
    }
  }

  /** Registers an app with the admin API and takes a client-credentials token. */
  private String appToken() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> registered =
          client.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/admin/v1/clients"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + adminToken)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"bench\",\"redirect_uris\":[\"https://bench.example.com/cb\"],"
                              + "\"confidential\":true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Map<String, String> fields = new TreeMap<>();
      Matcher field = JSON_FIELD.matcher(registered.body());
      while (field.find()) {
        fields.put(field.group(1), field.group(2));
      }
      if (registered.statusCode() / 100 != 2 || fields.size() != 2) {
        throw new IllegalStateException(
            "POST /admin/v1/clients answered %d: %s"
                .formatted(registered.statusCode(), registered.body()));
      }
      String basic =
          Base64.getEncoder()
              .encodeToString(
                  (fields.get("client_id") + ":" + fields.get("client_secret"))
                      .getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> issued =
          client.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/api/token"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Basic " + basic)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "grant_type="
                              + URLEncoder.encode("client_credentials", StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher access = ACCESS_TOKEN.matcher(issued.body());
      if (issued.statusCode() != 200 || !access.find()) {
        throw new IllegalStateException(
            "POST /api/token answered %d: %s".formatted(issued.statusCode(), issued.body()));
      }
      return access.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while taking the app token", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Results
  // ---------------------------------------------------------------------------------------------

  /** Writes settings, sample sizes, statuses and windows, Lucene and wall-clock percentiles. */
  @Override
  public void after() {
    if (out.isEmpty()) {
      return;
    }
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"settings\": {")
        .append(
            "\"search_rate\": %s, \"lookup_rate\": %s, \"warmup\": %d, \"seconds\": %d, "
                .formatted(searchRate, lookupRate, warmup, seconds))
        .append(
            "\"zipf\": %s, \"seed\": %d, \"keyspace\": \"%s\", \"quoted\": %s, \"max_inflight\": %d},\n"
                .formatted(zipf, seed, keyspace, quotedFilters, maxInFlight))
        .append(
            "  \"sample\": {\"requested\": %d, \"tracks\": %d, \"albums\": %d, \"artists\": %d"
                .formatted(sampleSize, tracksSampled, albumsRead, artistsRead));
    for (var entry : queries.entrySet()) {
      json.append(", \"%s_queries\": %d".formatted(entry.getKey(), entry.getValue().size()));
    }
    json.append("},\n  \"statuses\": {");
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
    json.append("\n  },\n  \"shed\": {");
    separator = "\n";
    for (var entry : new TreeMap<>(shed).entrySet()) {
      json.append(separator).append("    \"").append(entry.getKey()).append("\": ");
      json.append(entry.getValue().get());
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
    Map<String, List<Double>> luceneAll = new TreeMap<>();
    List<Double> overall = new ArrayList<>();
    for (var entry : lucene.entrySet()) {
      luceneAll.put(entry.getKey(), new ArrayList<>(entry.getValue()));
      overall.addAll(entry.getValue());
    }
    if (!overall.isEmpty()) {
      luceneAll.put("overall", overall);
    }
    json.append("\n  },\n  \"lucene\": {");
    appendPercentiles(json, luceneAll);
    json.append("\n  },\n  \"lucene_missing\": {");
    separator = "\n";
    for (var entry : new TreeMap<>(missingTiming).entrySet()) {
      json.append(separator).append("    \"").append(entry.getKey()).append("\": ");
      json.append(entry.getValue().get());
      separator = ",\n";
    }
    Map<String, List<Double>> wallAll = new TreeMap<>();
    List<Double> searches = new ArrayList<>();
    for (var entry : wall.entrySet()) {
      wallAll.put(entry.getKey(), new ArrayList<>(entry.getValue()));
      if (entry.getKey().startsWith("search ")) {
        searches.addAll(entry.getValue());
      }
    }
    if (!searches.isEmpty()) {
      wallAll.put("search overall", searches);
    }
    json.append("\n  },\n  \"wall\": {");
    appendPercentiles(json, wallAll);
    json.append("\n  },\n  \"failed_queries\": {");
    separator = "\n";
    for (var entry : new TreeMap<>(failedQueries).entrySet()) {
      json.append(separator).append("    \"").append(entry.getKey()).append("\": [");
      String inner = "";
      synchronized (entry.getValue()) {
        for (String query : entry.getValue()) {
          json.append(inner).append(jsonString(query));
          inner = ", ";
        }
      }
      json.append(']');
      separator = ",\n";
    }
    json.append("\n  }\n}\n");
    write(Path.of(out), json.toString());
  }

  private static void appendPercentiles(StringBuilder json, Map<String, List<Double>> values) {
    String separator = "\n";
    for (var entry : values.entrySet()) {
      double[] sorted =
          entry.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      json.append(separator).append("    \"").append(entry.getKey()).append("\": {");
      json.append("\"count\": ").append(sorted.length);
      for (double p : new double[] {50, 95, 99, 100}) {
        String key = p == 100 ? "max" : "p" + (int) p;
        json.append(String.format(Locale.ROOT, ", \"%s\": %.3f", key, percentile(sorted, p)));
      }
      json.append('}');
      separator = ",\n";
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

  private static String jsonString(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append("\\u%04x".formatted((int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }

  private static void write(Path path, String text) {
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      Files.writeString(path, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
