package io.cadenza.edge.listening;

import static io.cadenza.edge.auth.Scopes.USER_MODIFY_PLAYBACK_STATE;
import static io.cadenza.edge.auth.Scopes.USER_READ_RECENTLY_PLAYED;
import static io.cadenza.edge.auth.Scopes.USER_TOP_READ;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.cadenza.analytics.ListeningEvent;
import io.cadenza.analytics.ListeningLog;
import io.cadenza.catalog.api.CatalogReads;
import io.cadenza.catalog.model.Track;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.error.RetriableException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.edge.accounts.UserCountries;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.cadenza.edge.openapi.OpenApi;
import io.cadenza.edge.player.ListeningEvents;
import io.cadenza.edge.player.PlayerCatalog;
import io.cadenza.edge.player.PlayerJson;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The listening log's API: Spotify's recently played and top items, and Cadenza's extensions, the
 * offline plays batch and the daily track charts. Reads come from the {@link ListeningLog} (what
 * the sink wrote from Kafka); the batch publishes to Kafka through {@link ListeningEvents}.
 */
public final class ListeningApi {

  /** Spotify's default page size. */
  static final int DEFAULT_LIMIT = 20;

  /** How long a chart of today (UTC) is reused; it still grows. */
  static final Duration TODAY_CHART_TTL = Duration.ofSeconds(60);

  /** How long a chart of a past day is reused; late offline plays may still add to it. */
  static final Duration PAST_CHART_TTL = Duration.ofMinutes(10);

  /** Spotify's {@code played_at}: UTC with milliseconds. */
  static final DateTimeFormatter PLAYED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final ListeningLog log;
  private final ListeningEvents events;
  private final UserCountries countries;
  private final PlayerCatalog catalog;
  private final CatalogReads reads;
  private final PlayerJson playerJson;
  private final String baseUrl;
  private final int maxBatch;
  private final Clock clock;

  /** A day's chart (country null: global) in chart order, shared by requests for a while. */
  private final Cache<ChartKey, Future<List<ChartEntry>>> charts;

  record ChartKey(LocalDate date, String country) {}

  /** A track's place in a day's chart. */
  record ChartEntry(String trackId, long plays) {}

  /** Chart order: more plays first, then the track id. */
  static final Comparator<ChartEntry> CHART_ORDER =
      Comparator.comparingLong(ChartEntry::plays).reversed().thenComparing(ChartEntry::trackId);

  /**
   * @param baseUrl the node's public URL without trailing slash, for {@code href}s
   * @param maxBatch {@code cadenza.listening.max-batch}
   */
  public ListeningApi(
      ListeningLog log,
      ListeningEvents events,
      UserCountries countries,
      PlayerCatalog catalog,
      CatalogReads reads,
      PlayerJson playerJson,
      String baseUrl,
      int maxBatch,
      Clock clock) {
    this.log = log;
    this.events = events;
    this.countries = countries;
    this.catalog = catalog;
    this.reads = reads;
    this.playerJson = playerJson;
    this.baseUrl = baseUrl;
    this.maxBatch = maxBatch;
    this.clock = clock;
    this.charts =
        Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfter(
                Expiry.<ChartKey, Future<List<ChartEntry>>>creating(
                    (key, value) ->
                        key.date().isBefore(LocalDate.now(clock.withZone(ZoneOffset.UTC)))
                            ? PAST_CHART_TTL
                            : TODAY_CHART_TTL))
            .build();
  }

  /**
   * The largest body of {@code POST /v1/me/player/plays}: {@code maxBatch} plays of at most 1 KiB
   * each (a play's fields are bounded well below that).
   */
  public static long bodyLimit(int maxBatch) {
    return 1024L * maxBatch + 1024;
  }

  /**
   * Mounts the endpoints; after the {@code /v1/*} authentication. {@code playsBody} reads the plays
   * batch (up to {@link #bodyLimit}).
   */
  public void mount(Router router, OpenApi contract, Handler<RoutingContext> playsBody) {
    router
        .get("/v1/me/player/recently-played")
        .handler(Scopes.requireAny(List.of(USER_READ_RECENTLY_PLAYED)))
        .handler(contract.validate("get-recently-played"))
        .respond(this::recentlyPlayed);
    router
        .post("/v1/me/player/plays")
        .handler(playsBody)
        .handler(Scopes.requireAny(List.of(USER_MODIFY_PLAYBACK_STATE)))
        .handler(contract.validate("report-plays"))
        .respond(this::reportPlays);
    router
        .get("/v1/me/top/artists")
        .handler(Scopes.requireAny(List.of(USER_TOP_READ)))
        .handler(contract.validate("get-users-top-artists"))
        .respond(ctx -> top(ctx, "artists"));
    router
        .get("/v1/me/top/tracks")
        .handler(Scopes.requireAny(List.of(USER_TOP_READ)))
        .handler(contract.validate("get-users-top-tracks"))
        .respond(ctx -> top(ctx, "tracks"));
    // Charts are public facts about the catalog: any token, client credentials included.
    router
        .get("/v1/charts/tracks")
        .handler(contract.validate("get-track-charts"))
        .respond(this::trackCharts);
  }

  // ---- recently played

  /**
   * {@code GET /v1/me/player/recently-played}: the user's plays that count, newest first, as
   * Spotify's cursor paging object. {@code before} (unix ms) pages back in time, {@code after}
   * forward; {@code next} goes on in the direction asked (back in time without a cursor).
   */
  Future<JsonObject> recentlyPlayed(RoutingContext ctx) {
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT);
    Long after = longParam(ctx, "after");
    Long before = longParam(ctx, "before");
    if (after != null && before != null) {
      throw new ValidationException("Only one of after and before may be given");
    }
    String userId = userId(ctx);
    Instant now = clock.instant();
    Instant latest = now.plus(PlayBatch.CLOCK_SKEW);
    Future<List<ListeningEvent>> plays;
    if (after != null) {
      Instant cursor = Instant.ofEpochMilli(after);
      // The log is read back MONTHS_BACK months at most; earlier cursors start there.
      Instant earliest =
          YearMonth.from(now.atZone(ZoneOffset.UTC))
              .minusMonths(ListeningLog.MONTHS_BACK)
              .atDay(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant()
              .minusMillis(1);
      plays =
          cursor.isBefore(latest)
              ? Cql.of(
                  log.recentAfter(
                      userId, cursor.isBefore(earliest) ? earliest : cursor, limit, latest))
              : Future.succeededFuture(List.of());
    } else {
      Instant cursor =
          before == null || Instant.ofEpochMilli(before).isAfter(latest)
              ? latest
              : Instant.ofEpochMilli(before);
      plays = Cql.of(log.recentBefore(userId, cursor, limit));
    }
    String url = baseUrl + "/v1/me/player/recently-played";
    return plays.compose(
        found ->
            catalog
                .trackObjects(found.stream().map(ListeningEvent::trackId).toList())
                .map(
                    tracks -> {
                      JsonArray items = new JsonArray();
                      for (ListeningEvent play : found) {
                        JsonObject track = tracks.get(play.trackId());
                        if (track != null) {
                          items.add(
                              new JsonObject()
                                  .put("track", track)
                                  .put("played_at", PLAYED_AT.format(play.playedAt()))
                                  .put("context", playerJson.context(play.contextUri())));
                        }
                      }
                      return cursorPage(url, limit, after, before, found, items);
                    }));
  }

  /**
   * Spotify's cursor paging object of a page of plays (newest first): {@code cursors.after} is the
   * newest play's time, {@code cursors.before} the oldest's (unix ms, as strings), null when the
   * page is empty; {@code next} is set when the page is full.
   */
  static JsonObject cursorPage(
      String url, int limit, Long after, Long before, List<ListeningEvent> plays, JsonArray items) {
    Map<String, String> asked = new LinkedHashMap<>();
    asked.put("limit", Integer.toString(limit));
    asked.put("after", after == null ? null : after.toString());
    asked.put("before", before == null ? null : before.toString());
    JsonObject cursors = null;
    String next = null;
    if (!plays.isEmpty()) {
      String newest = Long.toString(plays.get(0).playedAt().toEpochMilli());
      String oldest = Long.toString(plays.get(plays.size() - 1).playedAt().toEpochMilli());
      cursors = new JsonObject().put("after", newest).put("before", oldest);
      if (plays.size() >= limit) {
        Map<String, String> following = new LinkedHashMap<>();
        following.put("limit", Integer.toString(limit));
        if (after != null) {
          following.put("after", newest);
        } else {
          following.put("before", oldest);
        }
        next = url + Pages.query(following);
      }
    }
    return new JsonObject()
        .put("href", url + Pages.query(asked))
        .put("limit", limit)
        .put("next", next)
        .put("cursors", cursors)
        .put("items", items);
  }

  // ---- top items

  /**
   * {@code GET /v1/me/top/{artists|tracks}}: the user's most played over {@code time_range} ({@link
   * TimeRange}), ranked by {@link TopItems}, as Spotify's paging object. Tracks no longer in the
   * catalog are left out (and credit no artist).
   */
  Future<JsonObject> top(RoutingContext ctx, String type) {
    TimeRange range = TimeRange.parse(ctx.queryParams().get("time_range"));
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT);
    int offset = intParam(ctx, "offset", 0);
    Instant now = clock.instant();
    String url = baseUrl + "/v1/me/top/" + type;
    Map<String, String> params = Map.of("time_range", range.key());
    Duration countAfter = log.countAfter();
    return Cql.of(
            log.between(userId(ctx), now.minus(range.window()), now.plus(PlayBatch.CLOCK_SKEW)))
        .compose(
            plays -> {
              List<ListeningEvent> counted =
                  plays.stream().filter(p -> p.counts(countAfter)).toList();
              List<String> trackIds =
                  List.copyOf(
                      new LinkedHashSet<>(counted.stream().map(ListeningEvent::trackId).toList()));
              return catalog
                  .tracks(trackIds)
                  .compose(
                      known -> {
                        List<ListeningEvent> ofKnown =
                            counted.stream().filter(p -> known.containsKey(p.trackId())).toList();
                        if (type.equals("tracks")) {
                          return topTracks(ofKnown, countAfter, url, params, offset, limit);
                        }
                        Map<String, List<String>> artistsOf = new LinkedHashMap<>();
                        known.forEach((id, track) -> artistsOf.put(id, artistIds(track)));
                        return topArtists(
                            ofKnown, countAfter, artistsOf, url, params, offset, limit);
                      });
            });
  }

  private static List<String> artistIds(Track track) {
    return track.artistIds() == null ? List.of() : track.artistIds();
  }

  private Future<JsonObject> topTracks(
      List<ListeningEvent> plays,
      Duration countAfter,
      String url,
      Map<String, String> params,
      int offset,
      int limit) {
    List<TopItems.Score> ranked = TopItems.tracks(plays, countAfter);
    List<String> page =
        Pages.slice(ranked, offset, limit).stream().map(TopItems.Score::id).toList();
    return catalog
        .trackObjects(page)
        .map(
            tracks -> {
              JsonArray items = new JsonArray();
              page.stream().map(tracks::get).filter(t -> t != null).forEach(items::add);
              return Pages.offsetPage(url, params, items, offset, limit, ranked.size());
            });
  }

  private Future<JsonObject> topArtists(
      List<ListeningEvent> plays,
      Duration countAfter,
      Map<String, List<String>> artistsOf,
      String url,
      Map<String, String> params,
      int offset,
      int limit) {
    List<TopItems.Score> ranked = TopItems.artists(plays, countAfter, artistsOf);
    List<String> page =
        Pages.slice(ranked, offset, limit).stream().map(TopItems.Score::id).toList();
    Future<JsonArray> artists =
        page.isEmpty()
            ? Future.succeededFuture(new JsonArray())
            : reads.artists(String.join(",", page)).map(json -> json.getJsonArray("artists"));
    return artists.map(
        found -> {
          JsonArray items = new JsonArray();
          found.stream().filter(a -> a != null).forEach(items::add);
          return Pages.offsetPage(url, params, items, offset, limit, ranked.size());
        });
  }

  // ---- charts

  /**
   * {@code GET /v1/charts/tracks} (Cadenza extension): a day's most played tracks (UTC day of the
   * plays' end; plays that count), globally or in one country, as a paging object of {@code
   * {position, plays, track}}; {@code track} is null for a track no longer in the catalog.
   */
  Future<JsonObject> trackCharts(RoutingContext ctx) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate date = date(ctx.queryParams().get("date"), today);
    String countryParam = ctx.queryParams().get("country");
    String country =
        countryParam == null || countryParam.isBlank()
            ? null
            : countryParam.strip().toUpperCase(Locale.ROOT);
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT);
    int offset = intParam(ctx, "offset", 0);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("date", date.toString());
    params.put("country", country);
    return chart(date, country)
        .compose(
            chart -> {
              List<ChartEntry> page = Pages.slice(chart, offset, limit);
              return catalog
                  .trackObjects(page.stream().map(ChartEntry::trackId).toList())
                  .map(
                      tracks -> {
                        JsonArray items = new JsonArray();
                        for (int i = 0; i < page.size(); i++) {
                          ChartEntry entry = page.get(i);
                          items.add(
                              new JsonObject()
                                  .put("position", offset + i + 1)
                                  .put("plays", entry.plays())
                                  .put("track", tracks.get(entry.trackId())));
                        }
                        return Pages.offsetPage(
                            baseUrl + "/v1/charts/tracks",
                            params,
                            items,
                            offset,
                            limit,
                            chart.size());
                      });
            });
  }

  /** A day's chart, from the cache when fresh enough; a failed read is not kept. */
  private Future<List<ChartEntry>> chart(LocalDate date, String country) {
    ChartKey key = new ChartKey(date, country);
    Future<List<ChartEntry>> cached = charts.getIfPresent(key);
    if (cached != null && !cached.failed()) {
      return cached;
    }
    Future<List<ChartEntry>> read =
        Cql.of(log.dailyCounts(date, country)).map(ListeningApi::ordered);
    charts.put(key, read);
    return read.onFailure(failure -> charts.asMap().remove(key, read));
  }

  /** The counts of a day in chart order. */
  static List<ChartEntry> ordered(Map<String, Long> counts) {
    List<ChartEntry> entries = new ArrayList<>(counts.size());
    counts.forEach((track, plays) -> entries.add(new ChartEntry(track, plays)));
    entries.sort(CHART_ORDER);
    return entries;
  }

  /** {@code date}: YYYY-MM-DD from 2000-01-01 to tomorrow (UTC); today when absent. */
  static LocalDate date(String value, LocalDate today) {
    if (value == null || value.isBlank()) {
      return today;
    }
    LocalDate date;
    try {
      date = LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new ValidationException("Invalid date: expected YYYY-MM-DD");
    }
    if (date.isBefore(LocalDate.of(2000, 1, 1)) || date.isAfter(today.plusDays(1))) {
      throw new ValidationException("Invalid date: it must be from 2000-01-01 to today (UTC)");
    }
    return date;
  }

  // ---- offline plays

  /**
   * {@code POST /v1/me/player/plays} (Cadenza extension): plays made offline, reported later. Every
   * play is checked first (schema, known track, not in the future, no event id twice); any problem
   * refuses the batch and nothing is published. Then all are published and the answer, 202 {@code
   * {"accepted": n}}, waits until Kafka acknowledged them. Sending a batch again is safe: the sink
   * stores an event id once.
   */
  Future<JsonObject> reportPlays(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    PlayBatch.plays(body, maxBatch); // refuses an oversized batch before any read
    String userId = userId(ctx);
    return countries
        .of(userId)
        .compose(
            country -> {
              List<ListeningEvent> plays =
                  PlayBatch.parse(body, userId, country, maxBatch, clock.instant());
              List<String> trackIds =
                  List.copyOf(
                      new LinkedHashSet<>(plays.stream().map(ListeningEvent::trackId).toList()));
              return catalog
                  .tracks(trackIds)
                  .compose(
                      known -> {
                        for (int i = 0; i < plays.size(); i++) {
                          if (!known.containsKey(plays.get(i).trackId())) {
                            throw new ValidationException(
                                "Invalid request body: plays["
                                    + i
                                    + "].track is not a known track: "
                                    + plays.get(i).trackId());
                          }
                        }
                        return events
                            .publishAll(plays)
                            .recover(
                                failure ->
                                    Future.failedFuture(
                                        new RetriableException(
                                            "The plays could not be stored; send them again"
                                                + " (their event ids make that safe)",
                                            503,
                                            Duration.ofSeconds(5),
                                            failure)));
                      });
            })
        .map(
            accepted -> {
              ctx.response().setStatusCode(202);
              return new JsonObject().put("accepted", accepted);
            });
  }

  // ---- request values

  private static String userId(RoutingContext ctx) {
    return Principal.of(ctx).orElseThrow().userId();
  }

  /** An integer query parameter already checked by the contract; {@code otherwise} when absent. */
  private static int intParam(RoutingContext ctx, String name, int otherwise) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ValidationException("Invalid " + name);
    }
  }

  /** A unix-ms cursor; null when absent. */
  private static Long longParam(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return null;
    }
    try {
      long parsed = Long.parseLong(value.strip());
      if (parsed < 0) {
        throw new NumberFormatException(value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ValidationException("Invalid " + name + ": expected a unix time in milliseconds");
    }
  }
}
