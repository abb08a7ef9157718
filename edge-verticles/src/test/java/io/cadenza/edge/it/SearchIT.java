package io.cadenza.edge.it;

import static io.cadenza.edge.it.Words.capital;
import static io.cadenza.edge.it.Words.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.KafkaChangeFeed;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.search.ItemType;
import io.cadenza.catalog.search.SearchIndex;
import io.cadenza.catalog.search.SearchRequest;
import io.cadenza.catalog.search.SearchResult;
import io.cadenza.catalog.search.feed.SearchService;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.it.Api.Response;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /v1/search} and the type-ahead on the shared node: a catalog written through a
 * repository of the test's own reaches the node's index only through the catalog-changes feed, and
 * is searched for with an app token. Names are fresh random words, so other suites' data never
 * matches.
 */
@ExtendWith(SharedNode.class)
class SearchIT {

  private static final String ARTIST_NAME = word(9);
  private static final String SONG_WORD = word(8);
  private static final String GENRE = "itgenre" + word(8);
  private static final String OTHER_GENRE = "itgenre" + word(8);
  private static final String ARTIST = Base62Id.random();
  private static final String OLD_ALBUM = Base62Id.random();
  private static final String NEW_ALBUM = Base62Id.random();
  private static final String OLD_TRACK = Base62Id.random();
  private static final String NEW_TRACK = Base62Id.random();
  private static final String FRESH_WORD = word(8);
  private static final String FRESH_TRACK = Base62Id.random();

  private static Api api;
  private static String token;
  private static CatalogRepository writer;

  @BeforeAll
  static void catalog() throws Exception {
    SharedNode.Running running = SharedNode.running();
    api = new Api(running.url());
    token = api.appToken("Search client");
    var infra = running.node().infrastructure();
    writer =
        done(
            CatalogRepository.create(
                new Cql(infra.cql(), running.settings().cql().keyspace()),
                new KafkaChangeFeed(infra.kafkaProducer(), CatalogChange.TOPIC),
                Clock.systemUTC()));
    done(writer.putArtist(new Artist(ARTIST, capital(ARTIST_NAME), List.of(), 40, List.of())));
    done(writer.putAlbum(album(OLD_ALBUM, "1987", List.of(GENRE))));
    done(writer.putAlbum(album(NEW_ALBUM, "2011", List.of(OTHER_GENRE))));
    done(writer.putTrack(track(OLD_TRACK, OLD_ALBUM, capital(SONG_WORD) + " Forever")));
    done(writer.putTrack(track(NEW_TRACK, NEW_ALBUM, capital(SONG_WORD) + " Again")));
  }

  @Test
  void aNewTrackIsFoundWithinOneSecondOfItsWrite() throws Exception {
    done(writer.putTrack(track(FRESH_TRACK, NEW_ALBUM, capital(FRESH_WORD))));
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(25))
        .untilAsserted(
            () -> assertThat(ids(search(FRESH_WORD, "track"), "tracks")).contains(FRESH_TRACK));
    JsonObject tracks = search(FRESH_WORD, "track").getJsonObject("tracks");
    assertThat(tracks.getInteger("total")).isEqualTo(1);
    JsonObject first = tracks.getJsonArray("items").getJsonObject(0);
    assertThat(first.getString("id")).isEqualTo(FRESH_TRACK);
    assertThat(first.getString("type")).isEqualTo("track");
    assertThat(first.getJsonObject("album").getString("id")).isEqualTo(NEW_ALBUM);
    assertThat(first.getJsonArray("artists").getJsonObject(0).getString("name"))
        .isEqualTo(capital(ARTIST_NAME));
    assertThat(tracks.getString("href")).contains("/v1/search?q=").contains("type=track");
    assertThat(tracks.getInteger("offset")).isZero();
    assertThat(tracks.getInteger("limit")).isEqualTo(5);
  }

  @Test
  void aMisspeltArtistNameFindsTheTrack() {
    String misspelt =
        ARTIST_NAME.substring(0, 4) + swap(ARTIST_NAME.charAt(4)) + ARTIST_NAME.substring(5);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(ids(search(misspelt, "track"), "tracks")).contains(OLD_TRACK));
  }

  @Test
  void filtersNarrowTheResults() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              JsonObject both = search(SONG_WORD, "track").getJsonObject("tracks");
              assertThat(both.getInteger("total")).isEqualTo(2);
              assertThat(ids(both)).containsExactlyInAnyOrder(OLD_TRACK, NEW_TRACK);
            });
    JsonObject byYear = search(SONG_WORD + " year:1980-1990", "track").getJsonObject("tracks");
    assertThat(byYear.getInteger("total")).isEqualTo(1);
    assertThat(ids(byYear)).containsExactly(OLD_TRACK);
    JsonObject byGenre =
        search(SONG_WORD + " genre:" + OTHER_GENRE, "track").getJsonObject("tracks");
    assertThat(byGenre.getInteger("total")).isEqualTo(1);
    assertThat(ids(byGenre)).containsExactly(NEW_TRACK);
  }

  @Test
  void typeArtistAnswersOnlyTheArtistsPagingObject() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              JsonObject result = search(ARTIST_NAME, "artist");
              assertThat(result.fieldNames()).containsExactly("artists");
              JsonObject artists = result.getJsonObject("artists");
              assertThat(ids(artists)).contains(ARTIST);
              assertThat(artists.getJsonArray("items").getJsonObject(0).getString("type"))
                  .isEqualTo("artist");
              assertThat(artists.getInteger("total")).isEqualTo(1);
              assertThat(artists.getValue("next")).isNull();
              assertThat(artists.getValue("previous")).isNull();
            });
  }

  @Test
  void severalTypesAnswerOnePagingObjectEach() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              JsonObject result = search(ARTIST_NAME, "track,album,artist,playlist");
              assertThat(result.fieldNames())
                  .containsExactlyInAnyOrder("tracks", "albums", "artists", "playlists");
              assertThat(ids(result, "albums")).contains(OLD_ALBUM, NEW_ALBUM);
              assertThat(result.getJsonObject("playlists").getInteger("total")).isZero();
            });
  }

  @Test
  void aDeletedTrackLeavesTheResults() throws Exception {
    String word = word(8);
    String id = Base62Id.random();
    done(writer.putTrack(track(id, OLD_ALBUM, capital(word))));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(ids(search(word, "track"), "tracks")).contains(id));
    done(writer.deleteTrack(id));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(search(word, "track").getJsonObject("tracks").getInteger("total"))
                    .isZero());
  }

  @Test
  void aServiceStartedOnAWrittenCatalogRebuildsItFromTheStore() throws Exception {
    var running = SharedNode.running();
    var infra = running.node().infrastructure();
    SearchIndex index = SearchIndex.create(Clock.systemUTC(), SearchIndex.Options.inMemory());
    SearchService service =
        done(
            SearchService.start(
                infra.vertx(), running.settings().kafka(), "search-it", writer, index, 3));
    try {
      done(service.ready());
      assertThat(service.progress().ready()).isTrue();
      assertThat(service.progress().tracks()).isGreaterThanOrEqualTo(2);
      SearchResult result =
          index.search(SearchRequest.parse(SONG_WORD, "track,artist,album", "10", "0", null));
      assertThat(result.page(ItemType.TRACK).ids()).contains(OLD_TRACK, NEW_TRACK);
      assertThat(result.page(ItemType.ARTIST).ids()).isEmpty();
      SearchResult byArtist =
          index.search(
              SearchRequest.parse("artist:" + ARTIST_NAME, "track,album", "10", "0", null));
      assertThat(byArtist.page(ItemType.TRACK).ids()).contains(OLD_TRACK, NEW_TRACK);
      assertThat(byArtist.page(ItemType.ALBUM).ids()).contains(OLD_ALBUM, NEW_ALBUM);
      SearchResult byGenre =
          index.search(
              SearchRequest.parse(SONG_WORD + " genre:" + GENRE, "track", "10", "0", null));
      assertThat(byGenre.page(ItemType.TRACK).ids()).containsExactly(OLD_TRACK);
    } finally {
      done(service.close());
      index.close();
    }
  }

  @Test
  void aBadTypeIsABadRequest() {
    Response response = api.get("/v1/search?q=x&type=bogus", token);
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.errorMessage()).isEqualTo("Bad search type field bogus");
    Response badLimit = api.get("/v1/search?q=x&type=track&limit=11", token);
    assertThat(badLimit.status()).as(badLimit.body()).isEqualTo(400);
    assertThat(badLimit.errorMessage()).isEqualTo("Invalid limit");
  }

  @Test
  void quotesAndBackslashesInTheQueryAreAcceptedAsClientsSendThem() {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        ids(
                            search(SONG_WORD + " artist:\"" + capital(ARTIST_NAME) + "\"", "track"),
                            "tracks"))
                    .contains(OLD_TRACK, NEW_TRACK));
    assertThat(ids(search("\"" + capital(SONG_WORD) + " Forever\"", "track"), "tracks"))
        .containsExactly(OLD_TRACK);
    for (String q : List.of("AC\\DC", "a\"b", "\\", "x:\"", "\"\"\"")) {
      Response response =
          api.get(
              "/v1/search?type=track,artist&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8),
              token);
      assertThat(response.status()).as(q + " → " + response.body()).isEqualTo(200);
    }
    Response suggest =
        api.get(
            "/v1/search/suggest?q=" + URLEncoder.encode("a\"b c", StandardCharsets.UTF_8), token);
    assertThat(suggest.status()).as(suggest.body()).isEqualTo(200);
  }

  @Test
  void missingOrBadParametersGetSpotifysMessages() {
    assertThat(api.get("/v1/search?type=track", token).errorMessage()).isEqualTo("No search query");
    Response noType = api.get("/v1/search?q=x", token);
    assertThat(noType.status()).as(noType.body()).isEqualTo(400);
    Response badOffset = api.get("/v1/search?q=x&type=track&offset=abc", token);
    assertThat(badOffset.status()).as(badOffset.body()).isEqualTo(400);
    assertThat(badOffset.errorMessage()).isEqualTo("Invalid offset");
    Response badSuggestLimit = api.get("/v1/search/suggest?q=x&limit=0", token);
    assertThat(badSuggestLimit.status()).as(badSuggestLimit.body()).isEqualTo(400);
  }

  @Test
  void searchesBeyondTheNodesLimitAreRefusedAtOnceWith503() throws Exception {
    var permits = SharedNode.running().node().catalog().searchPermits();
    int held = permits.drainPermits();
    try {
      Response refused = api.get("/v1/search?q=" + SONG_WORD + "&type=track", token);
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.errorMessage())
          .isEqualTo("Service temporarily overloaded; try again shortly");
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      Response suggest = api.get("/v1/search/suggest?q=" + SONG_WORD, token);
      assertThat(suggest.status()).as(suggest.body()).isEqualTo(503);
    } finally {
      permits.release(held);
    }
    Response after = api.get("/v1/search?q=" + SONG_WORD + "&type=track", token);
    assertThat(after.status()).as(after.body()).isEqualTo(200);
  }

  @Test
  void renamingAnArtistOrAnAlbumReindexesTheAlbumsAndTracksThatCarryTheName() throws Exception {
    String artistId = Base62Id.random();
    String albumId = Base62Id.random();
    String trackId = Base62Id.random();
    String oldArtist = capital(word(9));
    String newArtist = capital(word(9));
    String oldAlbum = capital(word(8));
    String newAlbum = capital(word(8));
    done(writer.putArtist(new Artist(artistId, oldArtist, List.of(), 20, List.of())));
    done(writer.putAlbum(renamedAlbum(albumId, oldAlbum, artistId)));
    done(
        writer.putTrack(
            new Track(
                trackId,
                capital(word(8)),
                albumId,
                List.of(artistId),
                1,
                1,
                200_000,
                false,
                null,
                List.of(),
                20)));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(ids(search("artist:\"" + oldArtist + "\"", "track"), "tracks"))
                    .contains(trackId));

    done(writer.putArtist(new Artist(artistId, newArtist, List.of(), 20, List.of())));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(ids(search("artist:\"" + newArtist + "\"", "track"), "tracks"))
                  .contains(trackId);
              assertThat(ids(search("artist:\"" + newArtist + "\"", "album"), "albums"))
                  .contains(albumId);
              assertThat(ids(search("artist:\"" + oldArtist + "\"", "track"), "tracks"))
                  .doesNotContain(trackId);
            });

    done(writer.putAlbum(renamedAlbum(albumId, newAlbum, artistId)));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(ids(search("album:\"" + newAlbum + "\"", "track"), "tracks"))
                  .contains(trackId);
              assertThat(ids(search("album:\"" + oldAlbum + "\"", "track"), "tracks"))
                  .doesNotContain(trackId);
            });
  }

  private static Album renamedAlbum(String id, String name, String artistId) {
    return new Album(
        id, name, "album", List.of(artistId), "2001", "year", 1, List.of(), 20, List.of());
  }

  @Test
  void searchNeedsAToken() {
    assertThat(api.get("/v1/search?q=x&type=track", null).status()).isEqualTo(401);
  }

  @Test
  void suggestionsCompleteTheLastWord() {
    String prefix = SONG_WORD.substring(0, 5);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              Response response = api.get("/v1/search/suggest?q=" + prefix + "&limit=5", token);
              assertThat(response.status()).as(response.body()).isEqualTo(200);
              JsonArray suggestions = response.json().getJsonArray("suggestions");
              assertThat(suggestions)
                  .map(o -> ((JsonObject) o).getString("id"))
                  .contains(OLD_TRACK);
              JsonObject old =
                  suggestions.stream()
                      .map(JsonObject.class::cast)
                      .filter(s -> OLD_TRACK.equals(s.getString("id")))
                      .findFirst()
                      .orElseThrow();
              assertThat(old.getString("type")).isEqualTo("track");
              assertThat(old.getString("uri")).isEqualTo("cadenza:track:" + OLD_TRACK);
              assertThat(old.getString("name")).isEqualTo(capital(SONG_WORD) + " Forever");
            });
  }

  // ---- helpers

  private static JsonObject search(String q, String type) {
    Response response =
        api.get(
            "/v1/search?q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&type="
                + URLEncoder.encode(type, StandardCharsets.UTF_8),
            token);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static List<String> ids(JsonObject result, String key) {
    return ids(result.getJsonObject(key));
  }

  private static List<String> ids(JsonObject paging) {
    return paging.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("id"))
        .toList();
  }

  private static Album album(String id, String year, List<String> genres) {
    return new Album(
        id, capital(word(7)), "album", List.of(ARTIST), year, "year", 1, genres, 30, List.of());
  }

  private static Track track(String id, String album, String name) {
    return new Track(id, name, album, List.of(ARTIST), 1, 1, 200_000, false, null, List.of(), 30);
  }

  /** Another letter of the same kind (a one-letter typo). */
  private static char swap(char c) {
    String group = "aeiou".indexOf(c) >= 0 ? "aeiou" : "bdfgklmnprstvz";
    return group.charAt((group.indexOf(c) + 1) % group.length());
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
