package io.cadenza.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.config.id.Base62Id;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index's life cycle and the filters Chinook has no data for (dates, codes, accents). */
class SearchIndexTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-06-15T12:00:00Z"), ZoneOffset.UTC);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final SearchIndex index = SearchIndex.create(CLOCK, SearchIndex.Options.inMemory());

  @AfterEach
  void close() {
    index.close();
  }

  @Test
  void totalsAreExactUpToTheCapAndTheCapBeyondIt() {
    int many = SearchIndex.MAX_EXACT_TOTAL + 50;
    index.rebuild(
        Stream.of(),
        Stream.of(),
        java.util.stream.IntStream.range(0, many)
            .mapToObj(i -> track("Common Song " + i, "Album " + (i % 7), null)));

    SearchPage broad =
        index.search(SearchRequest.parse("common", "track", "5", "0", null)).page(ItemType.TRACK);
    assertThat(broad.total()).isEqualTo(SearchIndex.MAX_EXACT_TOTAL);
    assertThat(broad.items()).hasSize(5);
    SearchPage narrow =
        index
            .search(SearchRequest.parse("common album:\"album 3\"", "track", "5", "0", null))
            .page(ItemType.TRACK);
    assertThat(narrow.total())
        .isEqualTo((int) java.util.stream.IntStream.range(0, many).filter(i -> i % 7 == 3).count());
  }

  @Test
  void upsertIsVisibleToTheNextSearchOnceAwaited() throws InterruptedException {
    index.rebuild(Stream.of(artist("Queen", 80)), Stream.of(), Stream.of());

    long generation = index.upsert(artist("Beyoncé", 90));

    assertThat(index.awaitVisible(generation, WAIT)).isTrue();
    assertThat(artists("beyonce")).containsExactly(id("Beyoncé"));
  }

  @Test
  void changeBecomesVisibleWithinASecondWithoutAnyoneWaiting() {
    index.rebuild(Stream.of(artist("Queen", 80)), Stream.of(), Stream.of());

    index.upsert(artist("Radiohead", 70));

    await().atMost(Duration.ofSeconds(1)).until(() -> !artists("radiohead").isEmpty());
  }

  @Test
  void deleteIsVisibleToTheNextSearchOnceAwaited() throws InterruptedException {
    index.rebuild(
        Stream.of(artist("Queen", 80), artist("Queensryche", 40)), Stream.of(), Stream.of());
    assertThat(artists("queen")).hasSize(2);

    long generation = index.delete(ItemType.ARTIST, id("Queen"));

    assertThat(index.awaitVisible(generation, WAIT)).isTrue();
    assertThat(artists("queen")).containsExactly(id("Queensryche"));
  }

  @Test
  void upsertReplacesTheItemInsteadOfAddingOne() throws InterruptedException {
    index.rebuild(Stream.of(), Stream.of(), Stream.of(track("Yesterday", "Help!", "1965-08-06")));

    IndexedTrack renamed =
        new IndexedTrack(
            id("Yesterday"),
            "Yesterday (Remastered)",
            id("Help!"),
            "Help!",
            List.of(),
            List.of("The Beatles"),
            "1965-08-06",
            List.of(),
            null,
            125_000,
            false,
            50);
    index.awaitVisible(index.upsert(renamed), WAIT);

    assertThat(index.count(ItemType.TRACK)).isEqualTo(1);
    assertThat(tracks("remastered")).containsExactly(id("Yesterday"));
  }

  @Test
  void rebuildDropsWhatTheStoreNoLongerHasAndKeepsTheRest() {
    index.rebuild(Stream.of(artist("Queen", 80), artist("Abba", 60)), Stream.of(), Stream.of());

    SearchIndex.RebuildStats stats =
        index.rebuild(Stream.of(artist("Queen", 81), artist("Blur", 30)), Stream.of(), Stream.of());

    assertThat(stats.artists()).isEqualTo(2);
    assertThat(index.count(ItemType.ARTIST)).isEqualTo(2);
    assertThat(artists("abba")).isEmpty();
    assertThat(artists("queen")).containsExactly(id("Queen"));
    assertThat(artists("blur")).containsExactly(id("Blur"));
  }

  @Test
  void yearFilterSelectsReleaseYearsInclusive() {
    index.rebuild(
        Stream.of(),
        Stream.of(
            album("Eighty-nine", "1989"),
            album("Ninety", "1990-05"),
            album("Ninety-five", "1995-03-01"),
            album("Ninety-nine", "1999"),
            album("Two thousand", "2000-01-01"),
            album("Undated", null)),
        Stream.of());

    assertThat(albums("year:1990-1999"))
        .containsExactlyInAnyOrder(id("Ninety"), id("Ninety-five"), id("Ninety-nine"));
    assertThat(albums("year:1989")).containsExactly(id("Eighty-nine"));
    assertThat(page("year:1990-1999", ItemType.ARTIST).total()).isZero();
  }

  @Test
  void tagNewIsReleasedInTheTwoWeeksBeforeTheClock() {
    index.rebuild(
        Stream.of(),
        Stream.of(
            album("Five days old", "2025-06-10"),
            album("Fourteen days old", "2025-06-01"),
            album("Fifteen days old", "2025-05-31"),
            album("Not out yet", "2025-06-20"),
            album("Known to the year", "2025"),
            album("Undated", null)),
        Stream.of(track("Fresh single", "Five days old", "2025-06-10")));

    assertThat(albums("tag:new"))
        .containsExactlyInAnyOrder(id("Five days old"), id("Fourteen days old"));
    assertThat(tracks("tag:new")).containsExactly(id("Fresh single"));
    assertThat(page("tag:new", ItemType.ARTIST).total()).isZero();
    assertThat(page("tag:hipster", ItemType.ALBUM).total()).isZero();
  }

  @Test
  void isrcMatchesIgnoringCaseAndHyphens() {
    IndexedTrack withIsrc =
        new IndexedTrack(
            id("Hotel California"),
            "Hotel California",
            id("HC"),
            "Hotel California",
            List.of(),
            List.of("Eagles"),
            "1976-12-08",
            List.of("rock"),
            "USEE10001992",
            390_000,
            false,
            90);
    index.rebuild(Stream.of(), Stream.of(), Stream.of(withIsrc, track("Other", "Other", null)));

    assertThat(tracks("isrc:us-ee1-00-01992")).containsExactly(id("Hotel California"));
    assertThat(tracks("isrc:USEE10001993")).isEmpty();
    assertThat(page("isrc:USEE10001992", ItemType.ALBUM).total()).isZero();
  }

  @Test
  void upcMatchesAlbums() {
    IndexedAlbum withUpc =
        new IndexedAlbum(
            id("Thriller"),
            "Thriller",
            List.of(),
            List.of("Michael Jackson"),
            "1982-11-30",
            "album",
            List.of("pop"),
            "074643811224",
            95);
    index.rebuild(Stream.of(), Stream.of(withUpc, album("Bad", "1987")), Stream.of());

    assertThat(albums("upc:074643811224")).containsExactly(id("Thriller"));
  }

  @Test
  void accentsAndCaseAreIgnoredBothWays() {
    index.rebuild(
        Stream.of(artist("Beyoncé", 90), artist("Sigur Rós", 50), artist("Bjork", 40)),
        Stream.of(),
        Stream.of());

    assertThat(artists("Beyonce")).containsExactly(id("Beyoncé"));
    assertThat(artists("BEYONCÉ")).containsExactly(id("Beyoncé"));
    assertThat(artists("sigur ros")).containsExactly(id("Sigur Rós"));
    assertThat(artists("Björk")).containsExactly(id("Bjork"));
  }

  @Test
  void quotedTextMatchesOnlyWholeWordsInOrder() {
    index.rebuild(
        Stream.of(),
        Stream.of(),
        Stream.of(
            track("Crazy in Love", "Dangerously in Love", null), track("Love Crazy", "X", null)));

    assertThat(tracks("\"crazy in love\"")).containsExactly(id("Crazy in Love"));
    assertThat(tracks("\"crazy in lov\"")).isEmpty();
    assertThat(tracks("crazy in lov")).contains(id("Crazy in Love"));
  }

  @Test
  void popularityOrdersItemsThatMatchEquallyWell() {
    index.rebuild(
        Stream.of(artist("The Kills", 10), artist("The Killers", 90)), Stream.of(), Stream.of());

    assertThat(artists("the kil")).containsExactly(id("The Killers"), id("The Kills"));
  }

  @Test
  void exactMatchOutranksAPopularTypo() {
    index.rebuild(
        Stream.of(artist("Metallica", 0), artist("Metallicca", 100)), Stream.of(), Stream.of());

    assertThat(artists("metallica").get(0)).isEqualTo(id("Metallica"));
  }

  @Test
  void folderIndexWorksLikeTheInMemoryOne(@TempDir Path folder) {
    try (SearchIndex onDisk = SearchIndex.create(CLOCK, SearchIndex.Options.inFolder(folder))) {
      onDisk.rebuild(Stream.of(artist("Massive Attack", 70)), Stream.of(), Stream.of());

      SearchPage page =
          onDisk
              .search(SearchRequest.parse("masive atack", "artist", null, null, null))
              .page(ItemType.ARTIST);

      assertThat(page.ids()).containsExactly(id("Massive Attack"));
    }
  }

  private List<String> artists(String q) {
    return page(q, ItemType.ARTIST).ids();
  }

  private List<String> albums(String q) {
    return page(q, ItemType.ALBUM).ids();
  }

  private List<String> tracks(String q) {
    return page(q, ItemType.TRACK).ids();
  }

  private SearchPage page(String q, ItemType type) {
    return index.search(SearchRequest.parse(q, type.key(), "10", "0", null)).page(type);
  }

  private static String id(String name) {
    return Base62Id.named("test:" + name);
  }

  private static IndexedArtist artist(String name, int popularity) {
    return new IndexedArtist(id(name), name, List.of(), popularity);
  }

  private static IndexedAlbum album(String name, String releaseDate) {
    return new IndexedAlbum(
        id(name), name, List.of(), List.of("Various"), releaseDate, "album", List.of(), null, 10);
  }

  private static IndexedTrack track(String name, String album, String releaseDate) {
    return new IndexedTrack(
        id(name),
        name,
        id(album),
        album,
        List.of(),
        List.of("Various"),
        releaseDate,
        List.of(),
        null,
        200_000,
        false,
        10);
  }
}
