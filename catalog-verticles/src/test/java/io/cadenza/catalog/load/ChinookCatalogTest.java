package io.cadenza.catalog.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.config.id.Base62Id;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On the real Chinook file next to the checkout, and on a hand-made one for the arithmetic. */
class ChinookCatalogTest {

  static Path chinookFile() {
    return io.cadenza.catalog.ChinookData.file();
  }

  private static ChinookCatalog chinook;

  @BeforeAll
  static void read() throws Exception {
    chinook = ChinookCatalog.read(chinookFile());
  }

  @Test
  void theWholeCatalogIsMapped() {
    assertThat(chinook.artists()).hasSize(275);
    assertThat(chinook.albums()).hasSize(347);
    assertThat(chinook.tracks()).hasSize(3503);
  }

  @Test
  void idsAreTheNamedIdsTheMediaDemoUses() {
    Track first = chinook.tracks().get(0);
    assertThat(first.id()).isEqualTo(Base62Id.named("chinook:track:1"));
    assertThat(first.name()).isEqualTo("For Those About To Rock (We Salute You)");
    assertThat(first.albumId()).isEqualTo(Base62Id.named("chinook:album:1"));
    assertThat(first.artistIds()).containsExactly(Base62Id.named("chinook:artist:1"));
    assertThat(chinook.artists().get(0).id()).isEqualTo(Base62Id.named("chinook:artist:1"));
    assertThat(chinook.artists().get(0).name()).isEqualTo("AC/DC");
  }

  @Test
  void tracksAreNumberedInTheirAlbumByTrackIdOnDiscOne() {
    Map<String, List<Track>> byAlbum =
        chinook.tracks().stream().collect(Collectors.groupingBy(Track::albumId));
    List<Track> album1 = byAlbum.get(Base62Id.named("chinook:album:1"));
    assertThat(album1)
        .extracting(Track::trackNumber)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(chinook.tracks()).allMatch(t -> t.discNumber() == 1);
    for (Album album : chinook.albums()) {
      assertThat(byAlbum.get(album.id())).hasSize(album.totalTracks());
    }
  }

  @Test
  void whatChinookDoesNotKnowStaysEmpty() {
    assertThat(chinook.tracks()).allMatch(t -> t.isrc() == null && !t.explicit());
    assertThat(chinook.albums())
        .allMatch(a -> a.releaseDate() == null && a.releaseDatePrecision() == null);
    assertThat(chinook.albums()).allMatch(a -> a.images().isEmpty());
  }

  @Test
  void albumAndArtistGenresAreTheDistinctGenresOfTheirTracks() {
    Map<String, Album> albums =
        chinook.albums().stream().collect(Collectors.toMap(Album::id, Function.identity()));
    for (Album album : chinook.albums()) {
      List<String> ofTracks =
          chinook.tracks().stream()
              .filter(t -> t.albumId().equals(album.id()))
              .flatMap(t -> t.genres().stream())
              .distinct()
              .toList();
      assertThat(album.genres()).containsExactlyInAnyOrderElementsOf(ofTracks);
    }
    Artist acdc = chinook.artists().get(0);
    assertThat(acdc.genres()).containsExactly("Rock");
    assertThat(albums.get(Base62Id.named("chinook:album:1")).genres()).containsExactly("Rock");
    // Artists without albums (71 of them in Chinook) have no genres.
    assertThat(chinook.artists().stream().filter(a -> a.genres().isEmpty())).hasSize(71);
  }

  @Test
  void popularityIsSalesNormalisedToTheBestSeller() {
    assertThat(chinook.tracks()).extracting(Track::popularity).contains(0, 50, 100);
    assertThat(chinook.tracks()).allMatch(t -> t.popularity() % 50 == 0);
    assertThat(chinook.albums().stream().mapToInt(Album::popularity).max()).hasValue(100);
    assertThat(chinook.artists().stream().mapToInt(Artist::popularity).max()).hasValue(100);
  }

  @Test
  void popularityArithmetic() {
    JsonObject data =
        new JsonObject()
            .put("Genre", new JsonArray().add(genre(1, "Rock")).add(genre(2, "Jazz")))
            .put("Artist", new JsonArray().add(artist(1, "A")).add(artist(2, "B")))
            .put("Album", new JsonArray().add(album(10, 1)).add(album(20, 2)))
            .put(
                "Track",
                new JsonArray()
                    .add(track(100, 10, 1))
                    .add(track(101, 10, 2))
                    .add(track(102, 10, 2))
                    .add(track(200, 20, 1)))
            .put(
                "InvoiceLine",
                new JsonArray()
                    .add(line(100, 3))
                    .add(line(101, 1))
                    .add(line(200, 1))
                    .add(line(200, 1)));
    ChinookCatalog small = ChinookCatalog.from(data);
    assertThat(small.tracks()).extracting(Track::popularity).containsExactly(100, 33, 0, 67);
    assertThat(small.albums()).extracting(Album::popularity).containsExactly(100, 50);
    assertThat(small.artists()).extracting(Artist::popularity).containsExactly(100, 50);
    // Most frequent genre first.
    assertThat(small.albums().get(0).genres()).containsExactly("Jazz", "Rock");
    assertThat(ChinookCatalog.popularity(0, 0)).isZero();
  }

  private static JsonObject genre(int id, String name) {
    return new JsonObject().put("GenreId", id).put("Name", name);
  }

  private static JsonObject artist(int id, String name) {
    return new JsonObject().put("ArtistId", id).put("Name", name);
  }

  private static JsonObject album(int id, int artist) {
    return new JsonObject().put("AlbumId", id).put("Title", "Album " + id).put("ArtistId", artist);
  }

  private static JsonObject track(int id, int album, int genre) {
    return new JsonObject()
        .put("TrackId", id)
        .put("Name", "Track " + id)
        .put("AlbumId", album)
        .put("GenreId", genre)
        .put("Milliseconds", 1000);
  }

  private static JsonObject line(int track, int quantity) {
    return new JsonObject().put("TrackId", track).put("Quantity", quantity);
  }
}
