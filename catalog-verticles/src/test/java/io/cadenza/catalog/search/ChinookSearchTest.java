package io.cadenza.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Search and type-ahead over the real Chinook catalog, against facts computed from its data. */
class ChinookSearchTest {

  private static Chinook chinook;
  private static SearchIndex index;
  private static Map<String, Chinook.Track> tracksById;
  private static Map<String, String> artistNamesById;

  @BeforeAll
  static void indexChinook() {
    chinook = Chinook.load();
    index = SearchIndex.create(Clock.systemUTC(), SearchIndex.Options.inMemory());
    index.rebuild(
        chinook.artists.stream(), chinook.albums.stream(), chinook.indexedTracks.stream());
    tracksById =
        chinook.tracks.stream().collect(Collectors.toMap(Chinook.Track::id, Function.identity()));
    artistNamesById =
        chinook.artists.stream().collect(Collectors.toMap(IndexedArtist::id, IndexedArtist::name));
  }

  @AfterAll
  static void close() {
    index.close();
  }

  @Test
  void rebuildIndexesTheWholeCatalog() {
    assertThat(index.count(ItemType.ARTIST)).isEqualTo(275);
    assertThat(index.count(ItemType.ALBUM)).isEqualTo(347);
    assertThat(index.count(ItemType.TRACK)).isEqualTo(3503);
  }

  @Test
  void misspeltArtistFindsTheRightOneFirst() {
    assertThat(firstArtist("Metalica")).isEqualTo("Metallica");
    assertThat(firstArtist("Aerosmit")).isEqualTo("Aerosmith");
    assertThat(firstArtist("led zepelin")).isEqualTo("Led Zeppelin");
  }

  @Test
  void prefixRanksTheExactArtistFirst() {
    assertThat(firstArtist("Iron Ma")).isEqualTo("Iron Maiden");
    assertThat(firstArtist("Iron")).isEqualTo("Iron Maiden");
    assertThat(firstArtist("led z")).isEqualTo("Led Zeppelin");
  }

  @Test
  void nameWithoutPunctuationFindsTheArtist() {
    assertThat(firstArtist("acdc")).isEqualTo("AC/DC");
    assertThat(firstArtist("AC/DC")).isEqualTo("AC/DC");
  }

  @Test
  void accentsAreIgnoredBothWays() {
    assertThat(firstArtist("Motorhead")).isEqualTo("Motörhead");
    assertThat(firstArtist("motley crue")).isEqualTo("Mötley Crüe");
    assertThat(firstArtist("Antonio Carlos Jobim")).isEqualTo("Antônio Carlos Jobim");
  }

  @Test
  void artistNameAsTrackQueryListsThatArtistsTracksBeforeAnyOther() {
    long metallicaTracks =
        chinook.tracks.stream().filter(t -> t.artist().equals("Metallica")).count();
    assertThat(metallicaTracks).isGreaterThan(100);

    List<SearchHit> hits = walk("metallica", ItemType.TRACK, 10);

    assertThat(hits.subList(0, (int) metallicaTracks))
        .extracting(hit -> tracksById.get(hit.id()).artist())
        .containsOnly("Metallica");
    // Metallica's tracks are ranked by their popularity (sales) among themselves.
    assertThat(hits.get(0).score()).isGreaterThanOrEqualTo(hits.get(1).score());
  }

  @Test
  void genreFilterReturnsOnlyThatGenreWithTheExactTotal() {
    long jazz = chinook.tracks.stream().filter(t -> "Jazz".equals(t.genre())).count();

    SearchPage first = search("genre:jazz", ItemType.TRACK, 10, 0);
    List<SearchHit> all = walk("genre:jazz", ItemType.TRACK, 10);

    assertThat(first.total()).isEqualTo(jazz).isEqualTo(all.size());
    assertThat(all).extracting(hit -> tracksById.get(hit.id()).genre()).containsOnly("Jazz");
  }

  @Test
  void genreFilterIgnoresCaseAndPunctuation() {
    long hipHop = chinook.tracks.stream().filter(t -> "Hip Hop/Rap".equals(t.genre())).count();

    assertThat(search("genre:\"hip-hop rap\"", ItemType.TRACK, 10, 0).total()).isEqualTo(hipHop);
    assertThat(search("GENRE:\"Hip Hop/Rap\"", ItemType.TRACK, 10, 0).total()).isEqualTo(hipHop);
  }

  @Test
  void artistAndTrackFiltersCombine() {
    Set<String> expected =
        chinook.tracks.stream()
            .filter(t -> t.artist().equals("AC/DC") && words(t.name()).contains("rock"))
            .map(Chinook.Track::id)
            .collect(Collectors.toSet());
    assertThat(expected).hasSizeGreaterThanOrEqualTo(2);

    List<SearchHit> hits = walk("artist:\"AC/DC\" track:rock", ItemType.TRACK, 10);

    assertThat(hits).extracting(SearchHit::id).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(search("artist:\"AC/DC\" track:rock", ItemType.TRACK, 10, 0).total())
        .isEqualTo(expected.size());
  }

  @Test
  void albumFilterSelectsTracksOfThatAlbumAndAlbumsOfThatName() {
    long onAlbum =
        chinook.tracks.stream().filter(t -> t.album().equals("Master Of Puppets")).count();

    SearchResult result =
        index.search(
            SearchRequest.parse("album:\"master of puppets\"", "track,album", "10", "0", null));

    assertThat(result.page(ItemType.TRACK).total()).isEqualTo(onAlbum);
    assertThat(result.page(ItemType.ALBUM).total()).isEqualTo(1);
  }

  @Test
  void pagesOfSevenWalkEveryHitExactlyOnce() {
    SearchPage first = search("love", ItemType.TRACK, 7, 0);
    assertThat(first.total()).isBetween(50, 1000);

    List<String> walked = new ArrayList<>();
    for (int offset = 0; offset < first.total(); offset += 7) {
      SearchPage page = search("love", ItemType.TRACK, 7, offset);
      assertThat(page.total()).isEqualTo(first.total());
      assertThat(page.items()).hasSize(Math.min(7, first.total() - offset));
      walked.addAll(page.ids());
    }

    assertThat(walked).hasSize(first.total()).doesNotHaveDuplicates();
    assertThat(search("love", ItemType.TRACK, 7, first.total()).items()).isEmpty();
  }

  @Test
  void totalIsExactBeyondTheLastReachableOffset() {
    // More than 1,010 Rock tracks: the total is counted, not estimated from the collected page.
    long rock = chinook.tracks.stream().filter(t -> "Rock".equals(t.genre())).count();
    assertThat(rock).isGreaterThan(1010);

    SearchPage last = search("genre:rock", ItemType.TRACK, 10, 1000);

    assertThat(last.total()).isEqualTo(rock);
    assertThat(last.items()).hasSize(10);
  }

  @Test
  void everyRequestedTypeGetsItsOwnPageInRequestOrder() {
    SearchResult result =
        index.search(SearchRequest.parse("iron maiden", "track,artist,album", "3", null, null));

    assertThat(result.pages().keySet())
        .containsExactly(ItemType.TRACK, ItemType.ARTIST, ItemType.ALBUM);
    assertThat(result.page(ItemType.TRACK).items()).hasSize(3);
    assertThat(result.page(ItemType.TRACK).total()).isGreaterThan(100);
    assertThat(artistNamesById.get(result.page(ItemType.ARTIST).items().get(0).id()))
        .isEqualTo("Iron Maiden");
  }

  @Test
  void playlistsAreAnEmptyPageUntilTheyAreIndexed() {
    SearchResult result =
        index.search(SearchRequest.parse("iron", "playlist,artist", null, null, null));

    assertThat(result.page(ItemType.PLAYLIST).items()).isEmpty();
    assertThat(result.page(ItemType.PLAYLIST).total()).isZero();
    assertThat(result.page(ItemType.ARTIST).total()).isPositive();
  }

  @Test
  void filterThatCannotApplyToATypeLeavesThatTypeEmpty() {
    SearchResult result =
        index.search(SearchRequest.parse("track:rock", "artist,track", null, null, null));

    assertThat(result.page(ItemType.ARTIST).total()).isZero();
    assertThat(result.page(ItemType.TRACK).total()).isPositive();
  }

  @Test
  void queryOfOnlyPunctuationFindsNothingWithoutFailing() {
    assertThat(search("!!! ???", ItemType.TRACK, 10, 0).total()).isZero();
  }

  @Test
  void autocompleteSuggestsTheArtistFirstForAPrefix() {
    List<Suggestion> suggestions = index.autocomplete("Iron Ma", 5);

    assertThat(suggestions.get(0).type()).isEqualTo(ItemType.ARTIST);
    assertThat(suggestions.get(0).text()).isEqualTo("Iron Maiden");
    assertThat(suggestions.get(0).id()).isEqualTo(chinook.artistId("Iron Maiden"));
  }

  @Test
  void autocompleteMixesTypesAndShowsANameOnce() {
    List<Suggestion> suggestions = index.autocomplete("Enter S", 10);

    assertThat(suggestions)
        .extracting(Suggestion::text)
        .contains("Enter Sandman")
        .doesNotHaveDuplicates();
    assertThat(index.autocomplete("metall", 5).get(0).text()).isEqualTo("Metallica");
    assertThat(index.autocomplete("Metalica", 5).get(0).text()).isEqualTo("Metallica");
  }

  private static String firstArtist(String q) {
    SearchPage page = search(q, ItemType.ARTIST, 10, 0);
    assertThat(page.items()).as("artists for %s", q).isNotEmpty();
    return artistNamesById.get(page.items().get(0).id());
  }

  private static SearchPage search(String q, ItemType type, int limit, int offset) {
    return index
        .search(
            SearchRequest.parse(q, type.key(), String.valueOf(limit), String.valueOf(offset), null))
        .page(type);
  }

  /** Every hit a client can reach, page by page. */
  private static List<SearchHit> walk(String q, ItemType type, int limit) {
    List<SearchHit> hits = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int offset = 0; offset <= SearchRequest.MAX_OFFSET; offset += limit) {
      SearchPage page = search(q, type, limit, offset);
      for (SearchHit hit : page.items()) {
        assertThat(seen.add(hit.id())).as("%s seen twice", hit.id()).isTrue();
        hits.add(hit);
      }
      if (offset + limit >= page.total()) {
        break;
      }
    }
    return hits;
  }

  private static Set<String> words(String name) {
    return new HashSet<>(Arrays.asList(name.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
  }
}
