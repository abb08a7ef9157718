package io.cadenza.catalog.it;

import static io.cadenza.catalog.it.CatalogStack.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.model.TrackMedia;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.catalog.store.Page;
import io.cadenza.catalog.store.ScanPage;
import io.cadenza.catalog.store.ScanRange;
import io.cadenza.catalog.store.Slice;
import io.cadenza.config.error.ConflictException;
import io.cadenza.config.error.NotFoundException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The repository against the test stack's Cassandra (and Kafka, which every write reaches). */
class CatalogRepositoryIT {

  private static CatalogStack stack;
  private static CatalogRepository repo;

  @BeforeAll
  static void open() throws Exception {
    stack = CatalogStack.open();
    repo = stack.repository;
  }

  @AfterAll
  static void close() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void putThenBatchGetGivesBackTheSameEntitiesInTheOrderAsked() throws Exception {
    Artist a = Fixtures.artist("Ada", List.of("Jazz", "Soul"), 70);
    Artist b = Fixtures.artist("Bea", List.of(), 0);
    Album album = Fixtures.album(a, "First", "1999-05-01", "day", 2);
    Track t1 = Fixtures.track(album, 1, 1, 50);
    Track t2 =
        new Track(
            Base62Id.random(),
            "No ISRC",
            album.id(),
            List.of(a.id(), b.id()),
            1,
            2,
            1234,
            true,
            null,
            List.of(),
            0);
    for (Artist artist : List.of(a, b)) {
      await(repo.putArtist(artist));
    }
    await(repo.putAlbum(album));
    await(repo.putTrack(t1));
    await(repo.putTrack(t2));

    String unknown = Base62Id.random();
    Map<String, Artist> artists = await(repo.artists(List.of(b.id(), unknown, a.id())));
    assertThat(artists.keySet()).containsExactly(b.id(), a.id());
    assertThat(artists.get(a.id())).isEqualTo(a);
    assertThat(artists.get(b.id())).isEqualTo(b);
    assertThat(await(repo.albums(List.of(album.id()))))
        .containsExactly(Map.entry(album.id(), album));
    Map<String, Track> tracks = await(repo.tracks(List.of(t2.id(), t1.id(), "not an id")));
    assertThat(tracks.values()).containsExactly(t2, t1);
    assertThat(await(repo.track(t1.id()))).contains(t1);
    assertThat(await(repo.album(unknown))).isEmpty();
  }

  @Test
  void tooManyIdsAtOnceIsAValidationFailure() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i <= CatalogRepository.MAX_IDS; i++) {
      ids.add(Base62Id.random());
    }
    assertThatThrownBy(() -> await(repo.tracks(ids))).hasCauseInstanceOf(ValidationException.class);
  }

  @Test
  void tracksOfAnAlbumComeByDiscThenTrackNumberAndPage() throws Exception {
    Artist artist = Fixtures.artist("Discs", List.of("Rock"), 10);
    Album album = Fixtures.album(artist, "Double", "2001-01-01", "day", 7);
    List<Track> tracks = new ArrayList<>();
    for (int disc = 1; disc <= 2; disc++) {
      for (int n = 1; n <= (disc == 1 ? 4 : 3); n++) {
        tracks.add(Fixtures.track(album, disc, n, 10 * n));
      }
    }
    List<Track> shuffled = new ArrayList<>(tracks);
    Collections.shuffle(shuffled, new Random(5));
    await(repo.putAlbum(album));
    for (Track track : shuffled) {
      await(repo.putTrack(track));
    }
    Page<Track> all = await(repo.tracksOfAlbum(album.id(), 0, 50));
    assertThat(all.items()).containsExactlyElementsOf(tracks);
    assertThat(all.total()).isEqualTo(7);
    assertThat(all.hasNext()).isFalse();

    Page<Track> second = await(repo.tracksOfAlbum(album.id(), 3, 2));
    assertThat(second.items()).containsExactly(tracks.get(3), tracks.get(4));
    assertThat(second.total()).isEqualTo(7);
    assertThat(second.hasNext()).isTrue();
    assertThat(second.items().get(1).discNumber()).isEqualTo(2);
  }

  @Test
  void aTrackMovedToAnotherPositionIsListedOnceThere() throws Exception {
    Artist artist = Fixtures.artist("Mover", List.of(), 10);
    Album album = Fixtures.album(artist, "Moves", null, null, 1);
    Track track = Fixtures.track(album, 1, 5, 40);
    await(repo.putAlbum(album));
    await(repo.putTrack(track));
    Track moved =
        new Track(
            track.id(),
            track.name(),
            album.id(),
            track.artistIds(),
            2,
            1,
            track.durationMs(),
            track.explicit(),
            track.isrc(),
            track.genres(),
            90);
    await(repo.putTrack(moved));
    assertThat(await(repo.tracksOfAlbum(album.id(), 0, 50)).items()).containsExactly(moved);
    assertThat(await(repo.topTracks(artist.id(), 10))).containsExactly(moved);
  }

  @Test
  void albumsOfAnArtistComeNewestFirstWithUndatedOnesLast() throws Exception {
    Artist artist = Fixtures.artist("Career", List.of("Pop"), 30);
    Album old = Fixtures.album(artist, "Old", "1970", "year", 10);
    Album mid = Fixtures.album(artist, "Mid", "1985-06", "month", 10);
    Album recent = Fixtures.album(artist, "Recent", "2020-02-29", "day", 10);
    Album undated = Fixtures.album(artist, "Undated", null, null, 10);
    await(repo.putArtist(artist));
    for (Album album : List.of(mid, undated, old, recent)) {
      await(repo.putAlbum(album));
    }
    Page<Album> page = await(repo.albumsOfArtist(artist.id(), 0, 50));
    assertThat(page.items()).containsExactly(recent, mid, old, undated);
    assertThat(page.total()).isEqualTo(4);
    assertThat(await(repo.albumsOfArtist(artist.id(), 1, 2)).items()).containsExactly(mid, old);
    assertThat(await(repo.albumsOfArtist(Base62Id.random(), 0, 10)).items()).isEmpty();
  }

  @Test
  void aRedatedAlbumLeavesNoCopyUnderItsOldDate() throws Exception {
    Artist artist = Fixtures.artist("Redate", List.of(), 10);
    Album album = Fixtures.album(artist, "Shifting", "1990-01-01", "day", 1);
    await(repo.putAlbum(album));
    Album redated =
        new Album(
            album.id(),
            "Shifting (Deluxe)",
            "album",
            album.artistIds(),
            "1991-03-03",
            "day",
            2,
            album.genres(),
            album.popularity(),
            album.images());
    await(repo.putAlbum(redated));
    assertThat(await(repo.albumsOfArtist(artist.id(), 0, 50)).items()).containsExactly(redated);
  }

  @Test
  void topTracksOfAnArtistAreItsMostPopularFirst() throws Exception {
    Artist artist = Fixtures.artist("Hits", List.of(), 80);
    Album album = Fixtures.album(artist, "Hits", "2010-01-01", "day", 5);
    await(repo.putAlbum(album));
    List<Track> tracks = new ArrayList<>();
    int[] popularity = {20, 90, 55, 90, 5};
    for (int i = 0; i < popularity.length; i++) {
      Track track = Fixtures.track(album, 1, i + 1, popularity[i]);
      tracks.add(track);
      await(repo.putTrack(track));
    }
    List<Track> top = await(repo.topTracks(artist.id(), 3));
    assertThat(top).extracting(Track::popularity).containsExactly(90, 90, 55);
    assertThat(top.get(0).id()).isLessThan(top.get(1).id());
  }

  @Test
  void newReleasesAreTheRecentDatedAlbumsNewestFirst() throws Exception {
    Artist artist = Fixtures.artist("Fresh", List.of(), 10);
    LocalDate asOf = LocalDate.of(2031, 6, 15); // a month no other test writes to
    Album today = Fixtures.album(artist, "Today", "2031-06-15", "day", 1);
    Album future = Fixtures.album(artist, "Future", "2031-06-20", "day", 1);
    Album lastMonth = Fixtures.album(artist, "Last month", "2031-05", "month", 1);
    Album lastYear = Fixtures.album(artist, "Last year", "2030-07-04", "day", 1);
    Album yearOnly = Fixtures.album(artist, "Year only", "2031", "year", 1);
    Album tooOld = Fixtures.album(artist, "Too old", "2029-01-01", "day", 1);
    for (Album album : List.of(today, future, lastMonth, lastYear, yearOnly, tooOld)) {
      await(repo.putAlbum(album));
    }
    Slice<Album> slice = await(repo.newReleases(asOf, 0, 50));
    assertThat(slice.items()).containsExactly(today, lastMonth, lastYear);
    assertThat(slice.hasNext()).isFalse();
    Slice<Album> first = await(repo.newReleases(asOf, 0, 2));
    assertThat(first.items()).containsExactly(today, lastMonth);
    assertThat(first.hasNext()).isTrue();
  }

  @Test
  void albumsOfAGenreComeMostPopularFirstWhateverTheCase() throws Exception {
    String genre = "Genre " + Base62Id.random();
    Artist artist = Fixtures.artist("Genre", List.of(genre), 10);
    List<Album> albums = new ArrayList<>();
    for (int popularity : new int[] {30, 70, 50}) {
      Album album =
          new Album(
              Base62Id.random(),
              "P" + popularity,
              "single",
              List.of(artist.id()),
              null,
              null,
              1,
              List.of(genre),
              popularity,
              List.of());
      albums.add(album);
      await(repo.putAlbum(album));
    }
    Slice<Album> slice = await(repo.albumsByGenre(genre.toUpperCase(), 0, 2));
    assertThat(slice.items()).containsExactly(albums.get(1), albums.get(2));
    assertThat(slice.hasNext()).isTrue();
    assertThat(await(repo.genres())).contains(genre);
  }

  @Test
  void aFullScanInSplitRangesSeesEveryTrackOnce() throws Exception {
    Artist artist = Fixtures.artist("Scan", List.of(), 10);
    Album album = Fixtures.album(artist, "Scan", null, null, 40);
    await(repo.putAlbum(album));
    Set<String> written = new HashSet<>();
    for (int i = 1; i <= 40; i++) {
      Track track = Fixtures.track(album, 1, i, i);
      written.add(track.id());
      await(repo.putTrack(track));
    }
    List<String> seen = new ArrayList<>();
    for (ScanRange part : ScanRange.all().split(3)) {
      Optional<ScanRange> next = Optional.of(part);
      while (next.isPresent()) {
        ScanPage<Track> page = await(repo.scanTracks(next.get(), 7));
        page.items().forEach(track -> seen.add(track.id()));
        next = page.next();
      }
    }
    assertThat(new HashSet<>(seen)).hasSameSizeAs(seen).containsAll(written);
    assertThat((long) seen.size()).isEqualTo(stack.count("tracks"));
  }

  @Test
  void mediaIsWhatMediaStoreRecorded() throws Exception {
    String trackId = Base62Id.random();
    stack.session.execute(
        SimpleStatement.newInstance(
            "INSERT INTO "
                + stack.keyspace()
                + ".media (track_id, content_hash, duration_ms, loudness_lufs, gain_db,"
                + " renditions, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            trackId,
            "abc",
            30_000L,
            -9.5,
            -4.5,
            "[{\"name\":\"aac-64\",\"kind\":\"HLS\",\"codecs\":\"mp4a.40.2\",\"bitrate\":70000,"
                + "\"size\":1,\"key\":\"k\",\"premium\":false},{\"name\":\"flac\",\"kind\":\"FILE\","
                + "\"codecs\":\"flac\",\"bitrate\":900000,\"size\":2,\"key\":\"f\",\"premium\":true}]",
            Instant.now()));
    Map<String, TrackMedia> media = await(repo.media(List.of(trackId, Base62Id.random())));
    assertThat(media).containsOnlyKeys(trackId);
    TrackMedia m = media.get(trackId);
    assertThat(m.durationMs()).isEqualTo(30_000L);
    assertThat(m.loudnessLufs()).isEqualTo(-9.5);
    assertThat(m.gainDb()).isEqualTo(-4.5);
    assertThat(m.renditions())
        .containsExactly(
            new TrackMedia.Rendition("aac-64", "mp4a.40.2", 70_000, false),
            new TrackMedia.Rendition("flac", "flac", 900_000, true));
  }

  @Test
  void deletesRemoveRowsAndRefuseWhileChildrenRemain() throws Exception {
    Artist artist = Fixtures.artist("Gone", List.of(), 10);
    Album album = Fixtures.album(artist, "Gone", "2002-02-02", "day", 1);
    Track track = Fixtures.track(album, 1, 1, 10);
    await(repo.putArtist(artist));
    await(repo.putAlbum(album));
    await(repo.putTrack(track));

    assertThatThrownBy(() -> await(repo.deleteAlbum(album.id())))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> await(repo.deleteArtist(artist.id())))
        .hasCauseInstanceOf(ConflictException.class);

    await(repo.deleteTrack(track.id()));
    assertThat(await(repo.track(track.id()))).isEmpty();
    assertThat(await(repo.tracksOfAlbum(album.id(), 0, 10)).total()).isZero();
    assertThat(await(repo.topTracks(artist.id(), 10))).isEmpty();
    await(repo.deleteAlbum(album.id()));
    assertThat(await(repo.albumsOfArtist(artist.id(), 0, 10)).items()).isEmpty();
    await(repo.deleteArtist(artist.id()));
    assertThat(await(repo.artist(artist.id()))).isEmpty();
    assertThatThrownBy(() -> await(repo.deleteTrack(track.id())))
        .hasCauseInstanceOf(NotFoundException.class);
  }

  @Test
  void pageBoundsAreValidated() {
    assertThatThrownBy(() -> await(repo.tracksOfAlbum(Base62Id.random(), 0, 51)))
        .hasCauseInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> await(repo.albumsOfArtist(Base62Id.random(), -1, 5)))
        .hasCauseInstanceOf(ValidationException.class);
  }
}
