package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.analytics.ListeningEvent;
import io.cadenza.analytics.ListeningEventJson;
import io.cadenza.analytics.ListeningLog;
import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.KafkaChangeFeed;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.it.Api.Response;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The listening log's API on a real node: scripted histories written into the listening log give
 * exactly the expected recently-played order (with cursor paging both ways, plays under 30 s left
 * out), top tracks and artists per time range, and chart order globally and per country; the
 * offline plays batch publishes schema-1 events to Kafka only when every play is valid.
 *
 * <p>The scripted plays reach the log through {@link #DELIVERY}: published to Kafka for the node's
 * sink to write (as in production), or written with {@link ListeningLog#write} (what the sink does
 * with each record) to test the reads without the sink. Offline batches go through the sink too:
 * one sent twice is stored once.
 */
@ExtendWith(SharedNode.class)
class ListeningHistoryIT {

  /** How the scripted plays reach the listening log. */
  private enum Delivery {
    /** Written straight into the node's keyspace, as the sink writes each record. */
    LOG_WRITES,
    /** Published to the listening topic; the node's sink writes them. */
    KAFKA_SINK
  }

  private static final Delivery DELIVERY = Delivery.KAFKA_SINK;

  private static final String SCOPES =
      "user-read-recently-played user-top-read user-modify-playback-state";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static SharedNode.Running node;
  private static Api api;
  private static ListeningLog log;
  private static Instant now;

  /** Five tracks: t[0] by a[0]; t[1] by a[0] and a[1]; t[2] by a[1]; t[3], t[4] by a[2]. */
  private static List<String> t;

  private static List<String> a;
  private static String albumId;

  @BeforeAll
  static void catalogAndLog() throws Exception {
    node = SharedNode.running();
    api = new Api(node.url());
    String keyspace = node.settings().cql().keyspace();
    var infra = node.node().infrastructure();
    log = ListeningLog.create(infra.cql(), keyspace, node.settings().listening().countAfter());
    CatalogRepository writer =
        done(
            CatalogRepository.create(
                new Cql(infra.cql(), keyspace),
                new KafkaChangeFeed(infra.kafkaProducer(), CatalogChange.TOPIC),
                Clock.systemUTC()));
    a = List.of(Base62Id.random(), Base62Id.random(), Base62Id.random());
    for (String artist : a) {
      done(writer.putArtist(new Artist(artist, "Artist " + artist, List.of(), 50, List.of())));
    }
    albumId = Base62Id.random();
    done(
        writer.putAlbum(
            new Album(
                albumId,
                "History",
                "album",
                List.of(a.get(0)),
                "2024-01-01",
                "day",
                5,
                List.of(),
                50,
                List.of())));
    List<List<String>> credits =
        List.of(
            List.of(a.get(0)),
            List.of(a.get(0), a.get(1)),
            List.of(a.get(1)),
            List.of(a.get(2)),
            List.of(a.get(2)));
    List<String> tracks = new ArrayList<>();
    for (int i = 0; i < credits.size(); i++) {
      String id = Base62Id.random();
      done(
          writer.putTrack(
              new Track(
                  id,
                  "Track " + (i + 1),
                  albumId,
                  credits.get(i),
                  1,
                  i + 1,
                  240_000,
                  false,
                  null,
                  List.of(),
                  50)));
      tracks.add(id);
    }
    t = List.copyOf(tracks);
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  // ---- scripting

  /** A user of {@code country} with the listening scopes. */
  private static User user(String country) {
    String email = "listener-" + UUID.randomUUID() + "@example.com";
    Response created =
        api.postJson(
            "/api/signup",
            new JsonObject()
                .put("email", email)
                .put("password", Api.DEFAULT_PASSWORD)
                .put("display_name", "Listener")
                .put("country", country),
            null);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Api.Account account =
        new Api.Account(created.json().getString("id"), email, Api.DEFAULT_PASSWORD);
    return new User(account.id(), country, api.logIn(account, SCOPES).accessToken());
  }

  private record User(String id, String country, String token) {}

  /** A play of track {@code t[track]} by {@code user} that ended at {@code end}. */
  private static ListeningEvent play(User user, int track, long msPlayed, Instant end) {
    return play(user, track, msPlayed, end, null);
  }

  private static ListeningEvent play(
      User user, int track, long msPlayed, Instant end, String contextUri) {
    return new ListeningEvent(
        UUID.randomUUID(),
        user.id(),
        t.get(track),
        "phone",
        contextUri,
        end.minusMillis(msPlayed),
        msPlayed,
        "trackdone",
        "trackdone",
        false,
        false,
        null,
        user.country());
  }

  /** {@link #now} minus whole days and a few milliseconds (so every play has its own time). */
  private static Instant daysAgo(double days) {
    return now.minusMillis((long) (days * 86_400_000L) + 123);
  }

  /**
   * Brings the plays into the listening log by {@link #DELIVERY}, and waits until they are read.
   */
  private static void deliver(List<ListeningEvent> plays) throws Exception {
    if (DELIVERY == Delivery.LOG_WRITES) {
      for (ListeningEvent play : plays) {
        log.write(play).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      return;
    }
    Properties props = new Properties();
    props.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.settings().kafka().bootstrapServersString());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (ListeningEvent play : plays) {
        producer
            .send(
                new ProducerRecord<>(
                    node.settings().listening().topic(),
                    play.userId(),
                    ListeningEventJson.write(play)))
            .get(30, TimeUnit.SECONDS);
      }
    }
    Map<String, Long> perUser =
        plays.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    ListeningEvent::userId, java.util.stream.Collectors.counting()));
    Instant from =
        plays.stream().map(ListeningEvent::startedAt).min(Comparator.naturalOrder()).get();
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () -> {
              for (Map.Entry<String, Long> user : perUser.entrySet()) {
                List<ListeningEvent> stored =
                    log.between(user.getKey(), from, now.plus(Duration.ofDays(1)))
                        .toCompletableFuture()
                        .get();
                if (stored.size() < user.getValue()) {
                  return false;
                }
              }
              return true;
            });
  }

  private static Response get(String path, String token) {
    return api.get(path, token);
  }

  private static JsonObject ok(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static void assertError(Response response, int status, String message) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json())
        .isEqualTo(
            new JsonObject()
                .put("error", new JsonObject().put("status", status).put("message", message)));
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static List<String> playedTrackIds(JsonObject page) {
    return page.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getJsonObject("track").getString("id"))
        .toList();
  }

  // ---- recently played

  @Test
  void recentlyPlayedIsNewestFirstWithoutShortPlaysAndPagesBothWays() throws Exception {
    User user = user("SE");
    String album = "cadenza:album:" + albumId;
    // Newest first: short plays (never counted), then counted ones an hour apart.
    List<ListeningEvent> counted =
        List.of(
            play(user, 2, 60_000, daysAgo(0.10), album),
            play(user, 0, 200_000, daysAgo(0.14)),
            play(user, 1, 30_000, daysAgo(0.18)),
            play(user, 3, 100_000, daysAgo(0.22), album),
            play(user, 4, 240_000, daysAgo(0.26)),
            play(user, 2, 61_000, daysAgo(40)));
    List<ListeningEvent> all = new ArrayList<>(counted);
    all.add(play(user, 4, 29_999, daysAgo(0.01)));
    all.add(play(user, 3, 5_000, daysAgo(0.12)));
    all.add(play(user, 0, 0, daysAgo(0.20)));
    deliver(all);

    JsonObject first = ok(get("/v1/me/player/recently-played?limit=4", user.token()));
    assertThat(playedTrackIds(first)).containsExactly(t.get(2), t.get(0), t.get(1), t.get(3));
    JsonObject item = first.getJsonArray("items").getJsonObject(0);
    assertThat(item.getString("played_at"))
        .isEqualTo(
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC)
                .format(counted.get(0).playedAt()));
    assertThat(item.getJsonObject("context").getString("uri")).isEqualTo(album);
    assertThat(item.getJsonObject("context").getString("type")).isEqualTo("album");
    assertThat(item.getJsonObject("context").getString("href"))
        .isEqualTo(node.url() + "/v1/albums/" + albumId);
    assertThat(first.getJsonArray("items").getJsonObject(1).getValue("context")).isNull();
    assertThat(first.getInteger("limit")).isEqualTo(4);
    String newest = Long.toString(counted.get(0).playedAt().toEpochMilli());
    String fourth = Long.toString(counted.get(3).playedAt().toEpochMilli());
    assertThat(first.getJsonObject("cursors"))
        .isEqualTo(new JsonObject().put("after", newest).put("before", fourth));
    assertThat(first.getString("next"))
        .isEqualTo(node.url() + "/v1/me/player/recently-played?limit=4&before=" + fourth);

    // The next page, by the link given.
    String next = first.getString("next").substring(node.url().length());
    JsonObject second = ok(get(next, user.token()));
    assertThat(playedTrackIds(second)).containsExactly(t.get(4), t.get(2));
    assertThat(second.getValue("next")).isNull();

    // after: the plays just after the cursor, newest first.
    String fifth = Long.toString(counted.get(4).playedAt().toEpochMilli());
    JsonObject after =
        ok(get("/v1/me/player/recently-played?limit=2&after=" + fifth, user.token()));
    assertThat(playedTrackIds(after)).containsExactly(t.get(1), t.get(3));
    assertThat(after.getString("next"))
        .isEqualTo(
            node.url()
                + "/v1/me/player/recently-played?limit=2&after="
                + counted.get(2).playedAt().toEpochMilli());
    JsonObject latest = ok(get("/v1/me/player/recently-played?after=" + fifth, user.token()));
    assertThat(playedTrackIds(latest)).containsExactly(t.get(2), t.get(0), t.get(1), t.get(3));

    // The default page holds everything that counted.
    assertThat(playedTrackIds(ok(get("/v1/me/player/recently-played", user.token()))))
        .containsExactly(t.get(2), t.get(0), t.get(1), t.get(3), t.get(4), t.get(2));
  }

  @Test
  void recentlyPlayedRefusesBadParametersAndOtherScopes() {
    User user = user("SE");
    assertError(
        get("/v1/me/player/recently-played?after=1&before=2", user.token()),
        400,
        "Only one of after and before may be given");
    assertError(get("/v1/me/player/recently-played?limit=0", user.token()), 400, "Invalid limit");
    assertError(get("/v1/me/player/recently-played?limit=51", user.token()), 400, "Invalid limit");
    assertThat(get("/v1/me/player/recently-played?before=yesterday", user.token()).status())
        .isEqualTo(400);
    JsonObject empty = ok(get("/v1/me/player/recently-played", user.token()));
    assertThat(empty.getJsonArray("items")).isEmpty();
    assertThat(empty.getValue("cursors")).isNull();
    assertThat(empty.getValue("next")).isNull();
    String topOnly = api.logIn(signUpAccount(), "user-top-read").accessToken();
    assertError(get("/v1/me/player/recently-played", topOnly), 403, "Insufficient client scope");
  }

  private static Api.Account signUpAccount() {
    return api.signUp();
  }

  // ---- top items

  @Test
  void topTracksAndArtistsRankByCountedPlaysPerTimeRange() throws Exception {
    User user = user("SE");
    List<ListeningEvent> plays = new ArrayList<>();
    // short_term (28 days)
    for (int d = 1; d <= 3; d++) {
      plays.add(play(user, 2, 60_000, daysAgo(d)));
    }
    plays.add(play(user, 0, 200_000, daysAgo(4)));
    plays.add(play(user, 0, 200_000, daysAgo(5)));
    plays.add(play(user, 3, 100_000, daysAgo(6)));
    plays.add(play(user, 3, 100_000, daysAgo(7)));
    plays.add(play(user, 4, 60_000, daysAgo(8)));
    plays.add(play(user, 1, 60_000, daysAgo(9)));
    for (int i = 0; i < 5; i++) {
      plays.add(play(user, 1, 10_000, daysAgo(0.5 + i * 0.01))); // too short to count
    }
    // medium_term (182 days)
    for (int d = 30; d <= 33; d++) {
      plays.add(play(user, 3, 100_000, daysAgo(d)));
    }
    for (int d = 40; d <= 42; d++) {
      plays.add(play(user, 1, 60_000, daysAgo(d)));
    }
    // long_term (365 days)
    for (int d = 200; d <= 207; d++) {
      plays.add(play(user, 4, 60_000, daysAgo(d)));
    }
    // older than a year: in no range
    for (int i = 0; i < 10; i++) {
      plays.add(play(user, 0, 200_000, daysAgo(370 + i)));
    }
    deliver(plays);

    // short_term: t2 (3 plays); t0 and t3 (2 each; t0 played longer); t4 and t1 (1 each; t4
    // more recently). Artists: a1 (t2 x3 + t1 = 4); a0 and a2 (3 each; a0 played longer).
    assertTop(
        user, "tracks", "short_term", List.of(t.get(2), t.get(0), t.get(3), t.get(4), t.get(1)));
    assertTop(user, "artists", "short_term", List.of(a.get(1), a.get(0), a.get(2)));
    // medium_term (the default): t3 6, t1 4, t2 3, t0 2, t4 1; a2 and a1 7 each (a2 longer), a0 6.
    List<String> medium = List.of(t.get(3), t.get(1), t.get(2), t.get(0), t.get(4));
    assertTop(user, "tracks", "medium_term", medium);
    assertThat(ids(ok(get("/v1/me/top/tracks", user.token())).getJsonArray("items")))
        .isEqualTo(medium);
    assertTop(user, "artists", "medium_term", List.of(a.get(2), a.get(1), a.get(0)));
    // long_term: t4 9, t3 6, t1 4, t2 3, t0 2; a2 15, a1 7, a0 6.
    assertTop(
        user, "tracks", "long_term", List.of(t.get(4), t.get(3), t.get(1), t.get(2), t.get(0)));
    assertTop(user, "artists", "long_term", List.of(a.get(2), a.get(1), a.get(0)));

    // A page in the middle, as Spotify's paging object.
    JsonObject page =
        ok(get("/v1/me/top/tracks?time_range=long_term&limit=2&offset=1", user.token()));
    assertThat(ids(page.getJsonArray("items"))).containsExactly(t.get(3), t.get(1));
    assertThat(page.getInteger("total")).isEqualTo(5);
    assertThat(page.getInteger("limit")).isEqualTo(2);
    assertThat(page.getInteger("offset")).isEqualTo(1);
    String url = node.url() + "/v1/me/top/tracks";
    assertThat(page.getString("href")).isEqualTo(url + "?offset=1&limit=2&time_range=long_term");
    assertThat(page.getString("next")).isEqualTo(url + "?offset=3&limit=2&time_range=long_term");
    assertThat(page.getString("previous"))
        .isEqualTo(url + "?offset=0&limit=2&time_range=long_term");
    assertThat(page.getJsonArray("items").getJsonObject(0).getJsonObject("album").getString("id"))
        .isEqualTo(albumId);
    JsonObject artists = ok(get("/v1/me/top/artists?limit=1", user.token()));
    assertThat(artists.getJsonArray("items").getJsonObject(0).getString("type"))
        .isEqualTo("artist");
    assertThat(artists.getInteger("total")).isEqualTo(3);
  }

  private static void assertTop(User user, String type, String range, List<String> expected) {
    JsonObject page = ok(get("/v1/me/top/" + type + "?time_range=" + range, user.token()));
    assertThat(ids(page.getJsonArray("items"))).as(type + " " + range).isEqualTo(expected);
    assertThat(page.getInteger("total")).isEqualTo(expected.size());
    assertThat(page.getValue("next")).isNull();
    assertThat(page.getValue("previous")).isNull();
  }

  @Test
  void topItemsRefuseUnknownRangesTypesAndOtherScopes() {
    User user = user("SE");
    assertError(
        get("/v1/me/top/tracks?time_range=forever", user.token()), 400, "Invalid time range");
    assertError(get("/v1/me/top/artists?offset=-1", user.token()), 400, "Invalid offset");
    assertError(get("/v1/me/top/albums", user.token()), 404, "Service not found");
    JsonObject empty = ok(get("/v1/me/top/artists", user.token()));
    assertThat(empty.getJsonArray("items")).isEmpty();
    assertThat(empty.getInteger("total")).isZero();
    String recentOnly = api.logIn(api.signUp(), "user-read-recently-played").accessToken();
    assertError(get("/v1/me/top/tracks", recentOnly), 403, "Insufficient client scope");
  }

  // ---- charts

  @Test
  void chartsOrderADaysTracksByPlaysGloballyAndPerCountry() throws Exception {
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(20);
    Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    User se = user("SE");
    User no1 = user("NO");
    User no2 = user("NO");
    List<ListeningEvent> plays = new ArrayList<>();
    int[] minute = {0};
    java.util.function.BiConsumer<User, Integer> counted =
        (u, track) -> plays.add(play(u, track, 60_000, noon.plusSeconds(60L * minute[0]++)));
    counted.accept(se, 0);
    counted.accept(se, 0);
    counted.accept(se, 0);
    counted.accept(se, 1);
    counted.accept(se, 2);
    plays.add(play(se, 3, 20_000, noon.plusSeconds(3_000))); // too short to count
    plays.add(play(se, 3, 20_000, noon.plusSeconds(3_100)));
    counted.accept(no1, 1);
    counted.accept(no1, 1);
    counted.accept(no1, 2);
    counted.accept(no2, 1);
    counted.accept(no2, 3);
    // The day before and after do not count for this day.
    plays.add(play(no2, 4, 60_000, day.atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1)));
    plays.add(play(no2, 4, 60_000, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
    deliver(plays);

    String app = api.appToken("Charts reader");
    JsonObject global = ok(get("/v1/charts/tracks?date=" + day, app));
    assertChart(
        global, List.of(t.get(1), t.get(0), t.get(2), t.get(3)), List.of(4L, 3L, 2L, 1L), 0);
    assertThat(global.getInteger("total")).isEqualTo(4);

    // Ties go by track id.
    List<String> seTie = sorted(t.get(1), t.get(2));
    assertChart(
        ok(get("/v1/charts/tracks?date=" + day + "&country=SE", se.token())),
        List.of(t.get(0), seTie.get(0), seTie.get(1)),
        List.of(3L, 1L, 1L),
        0);
    List<String> noTie = sorted(t.get(2), t.get(3));
    assertChart(
        ok(get("/v1/charts/tracks?date=" + day + "&country=no", app)),
        List.of(t.get(1), noTie.get(0), noTie.get(1)),
        List.of(3L, 1L, 1L),
        0);
    JsonObject nobody = ok(get("/v1/charts/tracks?date=" + day + "&country=DK", app));
    assertThat(nobody.getJsonArray("items")).isEmpty();

    JsonObject page = ok(get("/v1/charts/tracks?date=" + day + "&limit=2&offset=1", app));
    assertChart(page, List.of(t.get(0), t.get(2)), List.of(3L, 2L), 1);
    String url = node.url() + "/v1/charts/tracks";
    assertThat(page.getString("next")).isEqualTo(url + "?offset=3&limit=2&date=" + day);
    assertThat(page.getString("previous")).isEqualTo(url + "?offset=0&limit=2&date=" + day);

    assertThat(get("/v1/charts/tracks?date=06-12-2026", app).status()).isEqualTo(400);
    assertThat(get("/v1/charts/tracks?country=SWE", app).status()).isEqualTo(400);
    assertThat(get("/v1/charts/tracks", null).status()).isEqualTo(401);
  }

  private static List<String> sorted(String x, String y) {
    return x.compareTo(y) < 0 ? List.of(x, y) : List.of(y, x);
  }

  private static void assertChart(
      JsonObject page, List<String> tracks, List<Long> plays, int offset) {
    JsonArray items = page.getJsonArray("items");
    assertThat(items.stream().map(o -> ((JsonObject) o).getJsonObject("track").getString("id")))
        .containsExactlyElementsOf(tracks);
    assertThat(items.stream().map(o -> ((JsonObject) o).getLong("plays")))
        .containsExactlyElementsOf(plays);
    assertThat(items.stream().map(o -> ((JsonObject) o).getInteger("position")))
        .containsExactlyElementsOf(
            IntStream.rangeClosed(offset + 1, offset + tracks.size()).boxed().toList());
  }

  // ---- offline plays

  private static JsonObject offlinePlay(int track, Instant startedAt) {
    return new JsonObject()
        .put("event_id", UUID.randomUUID().toString())
        .put("track", "cadenza:track:" + t.get(track))
        .put("device_id", "laptop")
        .put("context_uri", "cadenza:album:" + albumId)
        .put("started_at", startedAt.toString())
        .put("ms_played", 90_000)
        .put("reason_start", "clickrow")
        .put("reason_end", "trackdone")
        .put("shuffle", true)
        .put("client_ts", now.toString());
  }

  private static Response postPlays(User user, JsonArray plays) {
    return api.send(
        "POST",
        "/v1/me/player/plays",
        "application/json",
        new JsonObject().put("plays", plays).encode().getBytes(StandardCharsets.UTF_8),
        "Authorization",
        "Bearer " + user.token());
  }

  @Test
  void offlinePlaysArePublishedOnlyWhenEveryOneIsValid() throws Exception {
    User user = user("NO");
    Instant started = daysAgo(10);
    String unknown = Base62Id.random();
    int maxBatch = node.settings().listening().maxBatch();
    JsonObject first = offlinePlay(2, started);
    JsonObject second = offlinePlay(3, started.plusSeconds(120)).put("track", t.get(3));
    try (KafkaConsumer<String, byte[]> consumer = node.listeningConsumerFromEnd()) {
      // Refused batches publish nothing: the user's first records are the accepted batch's.
      assertError(
          postPlays(
              user,
              new JsonArray()
                  .add(offlinePlay(0, started))
                  .add(offlinePlay(1, started).put("ms_played", -1))),
          400,
          "Invalid request body: plays[1].ms_played must be at least 0");
      assertError(
          postPlays(
              user,
              new JsonArray()
                  .add(offlinePlay(0, started))
                  .add(offlinePlay(1, started).put("track", "cadenza:track:" + unknown))),
          400,
          "Invalid request body: plays[1].track is not a known track: " + unknown);
      assertError(
          postPlays(user, new JsonArray().add(offlinePlay(0, started).put("skipped", true))),
          400,
          "Invalid request body: unexpected property plays[0].skipped");
      Response bored =
          postPlays(user, new JsonArray().add(offlinePlay(0, started).put("reason_end", "bored")));
      assertThat(bored.status()).isEqualTo(400);
      assertThat(bored.errorMessage())
          .startsWith("Invalid request body: plays[0].reason_end must be one of");
      Response future =
          postPlays(user, new JsonArray().add(offlinePlay(0, now.plus(Duration.ofHours(1)))));
      assertThat(future.status()).isEqualTo(400);
      assertThat(future.errorMessage())
          .startsWith("Invalid request body: plays[0] ends in the future");
      JsonArray tooMany = new JsonArray();
      for (int i = 0; i <= maxBatch; i++) {
        tooMany.add(offlinePlay(i % 5, started.plusSeconds(100L * i)));
      }
      assertError(
          postPlays(user, tooMany),
          400,
          "Too many plays in one request: "
              + (maxBatch + 1)
              + " (at most "
              + maxBatch
              + "); send them in several requests");

      Response accepted = postPlays(user, new JsonArray().add(first).add(second));
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      assertThat(accepted.json()).isEqualTo(new JsonObject().put("accepted", 2));

      List<ListeningEvent> published = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : awaitRecords(consumer, user.id(), 2)) {
        published.add(ListeningEventJson.read(record.value()));
      }
      assertThat(published.subList(0, 2).stream().map(e -> e.eventId().toString()))
          .containsExactly(first.getString("event_id"), second.getString("event_id"));
      ListeningEvent event = published.get(0);
      assertThat(event.userId()).isEqualTo(user.id());
      assertThat(event.trackId()).isEqualTo(t.get(2));
      assertThat(event.offline()).isTrue();
      assertThat(event.shuffle()).isTrue();
      assertThat(event.country()).isEqualTo("NO");
      assertThat(event.startedAt()).isEqualTo(started);
      assertThat(event.msPlayed()).isEqualTo(90_000);
      assertThat(event.reasonStart()).isEqualTo("clickrow");
      assertThat(event.contextUri()).isEqualTo("cadenza:album:" + albumId);
      assertThat(event.clientTimestamp()).isEqualTo(now);
      assertThat(published.get(1).trackId()).isEqualTo(t.get(3));
    }
    if (DELIVERY == Delivery.KAFKA_SINK) {
      // Through the sink into the log: the batch sent again is stored once. The user's records are
      // processed in order, so once a later play shows, the repeated batch was written too.
      awaitRecentlyPlayed(user, List.of(t.get(3), t.get(2)));
      JsonArray again = new JsonArray().add(first).add(second);
      assertThat(postPlays(user, again).status()).isEqualTo(202);
      JsonObject third = offlinePlay(4, started.plusSeconds(240));
      assertThat(postPlays(user, new JsonArray().add(third)).status()).isEqualTo(202);
      awaitRecentlyPlayed(user, List.of(t.get(4), t.get(3), t.get(2)));
    }
    // Reporting plays takes the scope of controlling playback.
    String readOnly = api.logIn(api.signUp(), "user-read-recently-played").accessToken();
    Response refused =
        api.send(
            "POST",
            "/v1/me/player/plays",
            "application/json",
            new JsonObject()
                .put("plays", new JsonArray().add(offlinePlay(0, started)))
                .encode()
                .getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + readOnly);
    assertError(refused, 403, "Insufficient client scope");
  }

  /** Waits until the user's recently played tracks are exactly {@code expected}. */
  private static void awaitRecentlyPlayed(User user, List<String> expected) {
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(playedTrackIds(ok(get("/v1/me/player/recently-played", user.token()))))
                    .isEqualTo(expected));
  }

  /** The next {@code count} records keyed {@code key}. */
  private static List<ConsumerRecord<String, byte[]>> awaitRecords(
      KafkaConsumer<String, byte[]> consumer, String key, int count) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (found.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        if (key.equals(record.key())) {
          found.add(record);
        }
      }
    }
    assertThat(found).as("records keyed " + key).hasSizeGreaterThanOrEqualTo(count);
    return found;
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
