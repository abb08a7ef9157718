package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.KafkaChangeFeed;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Image;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.it.Api.Response;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The catalog read endpoints on the shared node, with an app (client-credentials) token: the
 * Spotify shapes, 404 and 400, batches with nulls, paging, and a change reaching the caches through
 * the catalog-changes feed.
 */
@ExtendWith(SharedNode.class)
class CatalogReadsIT {

  private static Api api;
  private static String token;

  /**
   * A repository of the test's own (not the node's cached one), so a write reaches the node only as
   * a row in the database and an event on the feed.
   */
  private static CatalogRepository writer;

  private static final String GENRE = "it-genre-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String ARTIST = Base62Id.random();
  private static final String GUEST = Base62Id.random();
  private static final String ALBUM = Base62Id.random();
  private static final List<String> TRACKS =
      List.of(Base62Id.random(), Base62Id.random(), Base62Id.random());
  private static final String RELEASED = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();

  @BeforeAll
  static void catalog() throws Exception {
    SharedNode.Running running = SharedNode.running();
    api = new Api(running.url());
    token = api.appToken("Catalog reader");
    var infra = running.node().infrastructure();
    writer =
        done(
            CatalogRepository.create(
                new Cql(infra.cql(), running.settings().cql().keyspace()),
                new KafkaChangeFeed(infra.kafkaProducer(), CatalogChange.TOPIC),
                Clock.systemUTC()));
    done(
        writer.putArtist(
            new Artist(
                ARTIST,
                "The Testers",
                List.of(GENRE),
                60,
                List.of(new Image("https://img.example/a.jpg", 640, 640)))));
    done(writer.putArtist(new Artist(GUEST, "Guest", List.of(), 10, List.of())));
    done(
        writer.putAlbum(
            new Album(
                ALBUM,
                "First Light",
                "album",
                List.of(ARTIST),
                RELEASED,
                "day",
                3,
                List.of(GENRE),
                40,
                List.of())));
    for (int i = 0; i < TRACKS.size(); i++) {
      done(writer.putTrack(track(i, "Song " + (i + 1))));
    }
  }

  private static Track track(int i, String name) {
    return new Track(
        TRACKS.get(i),
        name,
        ALBUM,
        i == 0 ? List.of(ARTIST, GUEST) : List.of(ARTIST),
        1,
        i + 1,
        180_000 + i,
        i == 2,
        i == 0 ? "USRC17607839" : null,
        List.of(),
        50 + i);
  }

  @Test
  void trackIsSpotifysFullTrackObject() {
    Response response = api.get("/v1/tracks/" + TRACKS.get(0), token);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonObject track = response.json();
    assertThat(track.getString("id")).isEqualTo(TRACKS.get(0));
    assertThat(track.getString("type")).isEqualTo("track");
    assertThat(track.getString("uri")).isEqualTo("cadenza:track:" + TRACKS.get(0));
    assertThat(track.getString("href")).endsWith("/v1/tracks/" + TRACKS.get(0));
    assertThat(track.getInteger("duration_ms")).isEqualTo(180_000);
    assertThat(track.getInteger("track_number")).isEqualTo(1);
    assertThat(track.getJsonObject("external_ids").getString("isrc")).isEqualTo("USRC17607839");
    assertThat(ids(track.getJsonArray("artists"))).containsExactly(ARTIST, GUEST);
    JsonObject album = track.getJsonObject("album");
    assertThat(album.getString("id")).isEqualTo(ALBUM);
    assertThat(album.getString("release_date")).isEqualTo(RELEASED);
    assertThat(album.getString("release_date_precision")).isEqualTo("day");
    assertThat(ids(album.getJsonArray("artists"))).containsExactly(ARTIST);
  }

  @Test
  void unknownIdsAre404() {
    for (String path : List.of("/v1/tracks/", "/v1/albums/", "/v1/artists/")) {
      Response response = api.get(path + Base62Id.random(), token);
      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.json().getJsonObject("error").getInteger("status")).isEqualTo(404);
    }
    assertThat(api.get("/v1/artists/" + Base62Id.random() + "/top-tracks", token).status())
        .isEqualTo(404);
    assertThat(api.get("/v1/albums/" + Base62Id.random() + "/tracks", token).status())
        .isEqualTo(404);
  }

  @Test
  void malformedIdsAre400() {
    for (String path :
        List.of("/v1/tracks/abc", "/v1/albums/abc", "/v1/artists/abc", "/v1/tracks?ids=abc")) {
      Response response = api.get(path, token);
      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.errorMessage()).as(path).isEqualTo("Invalid base62 id");
    }
  }

  @Test
  void batchesAnswerInOrderWithNullForUnknownIds() {
    String unknown = Base62Id.random();
    JsonArray tracks =
        api.get("/v1/tracks?ids=" + TRACKS.get(1) + "," + unknown + "," + TRACKS.get(0), token)
            .json()
            .getJsonArray("tracks");
    assertThat(tracks).hasSize(3);
    assertThat(tracks.getJsonObject(0).getString("id")).isEqualTo(TRACKS.get(1));
    assertThat(tracks.getValue(1)).isNull();
    assertThat(tracks.getJsonObject(2).getString("id")).isEqualTo(TRACKS.get(0));

    JsonArray albums =
        api.get("/v1/albums?ids=" + unknown + "," + ALBUM, token).json().getJsonArray("albums");
    assertThat(albums.getValue(0)).isNull();
    assertThat(albums.getJsonObject(1).getJsonObject("tracks").getInteger("total")).isEqualTo(3);

    JsonArray artists =
        api.get("/v1/artists?ids=" + GUEST + "," + unknown, token).json().getJsonArray("artists");
    assertThat(artists.getJsonObject(0).getString("name")).isEqualTo("Guest");
    assertThat(artists.getValue(1)).isNull();
  }

  @Test
  void tooManyIdsAre400() {
    String ids = String.join(",", java.util.Collections.nCopies(21, ALBUM));
    assertThat(api.get("/v1/albums?ids=" + ids, token).status()).isEqualTo(400);
  }

  @Test
  void albumTracksArePagedWithTotal() {
    JsonObject first = api.get("/v1/albums/" + ALBUM + "/tracks?limit=2", token).json();
    assertThat(first.getInteger("total")).isEqualTo(3);
    assertThat(first.getInteger("limit")).isEqualTo(2);
    assertThat(ids(first.getJsonArray("items"))).containsExactly(TRACKS.get(0), TRACKS.get(1));
    assertThat(first.getString("next"))
        .endsWith("/v1/albums/" + ALBUM + "/tracks?offset=2&limit=2");
    assertThat(first.getValue("previous")).isNull();

    JsonObject second = api.get("/v1/albums/" + ALBUM + "/tracks?offset=2&limit=2", token).json();
    assertThat(ids(second.getJsonArray("items"))).containsExactly(TRACKS.get(2));
    assertThat(second.getValue("next")).isNull();
    assertThat(second.getString("previous")).isNotNull();
  }

  @Test
  void limitOutOfRangeIs400() {
    assertThat(api.get("/v1/albums/" + ALBUM + "/tracks?limit=51", token).status()).isEqualTo(400);
    assertThat(api.get("/v1/albums/" + ALBUM + "/tracks?limit=0", token).status()).isEqualTo(400);
  }

  @Test
  void artistHasAlbumsAndTopTracks() {
    JsonObject artist = api.get("/v1/artists/" + ARTIST, token).json();
    assertThat(artist.getJsonArray("genres").getList()).containsExactly(GENRE);
    assertThat(artist.getInteger("popularity")).isEqualTo(60);

    JsonObject albums =
        api.get("/v1/artists/" + ARTIST + "/albums?include_groups=album,single", token).json();
    assertThat(albums.getInteger("total")).isEqualTo(1);
    assertThat(ids(albums.getJsonArray("items"))).containsExactly(ALBUM);

    Response top = api.get("/v1/artists/" + ARTIST + "/top-tracks?market=SE", token);
    assertThat(top.status()).as(top.body()).isEqualTo(200);
    assertThat(ids(top.json().getJsonArray("tracks")))
        .containsExactly(TRACKS.get(2), TRACKS.get(1), TRACKS.get(0));
  }

  @Test
  void newReleasesAndGenreAlbumsListTheAlbum() {
    JsonObject releases = api.get("/v1/browse/new-releases?limit=50", token).json();
    assertThat(ids(releases.getJsonObject("albums").getJsonArray("items"))).contains(ALBUM);

    JsonObject genre = api.get("/v1/browse/genres/" + GENRE + "/albums", token).json();
    JsonObject page = genre.getJsonObject("albums");
    assertThat(ids(page.getJsonArray("items"))).containsExactly(ALBUM);
    assertThat(page.getInteger("total")).isEqualTo(1);
    assertThat(page.getValue("next")).isNull();
  }

  @Test
  void trackMediaRouteStillAnswersBeside() {
    // An app token has no user: the media route (not the track route) answers, with 403.
    assertThat(api.get("/v1/tracks/" + TRACKS.get(0) + "/media", token).status()).isEqualTo(403);
  }

  @Test
  void aChangeReachesTheCachesThroughTheFeed() throws Exception {
    String id = TRACKS.get(1);
    assertThat(api.get("/v1/tracks/" + id, token).json().getString("name")).isEqualTo("Song 2");
    // Cached now, near and in Redis.
    assertThat(api.get("/v1/tracks/" + id, token).json().getString("name")).isEqualTo("Song 2");

    done(writer.putTrack(track(1, "Song 2 (Remastered)")));

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(api.get("/v1/tracks/" + id, token).json().getString("name"))
                    .isEqualTo("Song 2 (Remastered)"));
    done(writer.putTrack(track(1, "Song 2")));
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
