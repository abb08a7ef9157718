package io.cadenza.catalog.it;

import static io.cadenza.catalog.it.CatalogStack.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.catalog.load.BulkWriter;
import io.cadenza.catalog.load.ChinookCatalog;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.Page;
import io.cadenza.config.id.Base62Id;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Chinook import through the repository, twice: the second run leaves the same rows. */
class CatalogChinookImportIT {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogChinookImportIT.class);
  private static final List<String> TABLES =
      List.of(
          "artists",
          "albums",
          "tracks",
          "albums_by_artist",
          "tracks_by_album",
          "tracks_by_artist_popularity",
          "albums_by_release_month",
          "albums_by_genre",
          "genres");

  @Test
  void importingChinookTwiceGivesTheSameRows() throws Exception {
    ChinookCatalog chinook = ChinookCatalog.read(chinookFile());
    try (CatalogStack stack = CatalogStack.open()) {
      BulkWriter.Result first = load(stack, chinook);
      assertThat(first.failed()).isZero();
      assertThat(first.artists()).isEqualTo(275);
      assertThat(first.albums()).isEqualTo(347);
      assertThat(first.tracks()).isEqualTo(3503);
      Map<String, Long> counts = counts(stack);
      assertThat(counts)
          .containsEntry("artists", 275L)
          .containsEntry("albums", 347L)
          .containsEntry("tracks", 3503L)
          .containsEntry("albums_by_artist", 347L)
          .containsEntry("tracks_by_album", 3503L)
          .containsEntry("tracks_by_artist_popularity", 3503L)
          .containsEntry("albums_by_release_month", 0L)
          .containsEntry("genres", 25L);

      assertThat(load(stack, chinook).failed()).isZero();
      assertThat(counts(stack)).isEqualTo(counts);

      String album1 = Base62Id.named("chinook:album:1");
      Page<Track> tracks = await(stack.repository.tracksOfAlbum(album1, 0, 50));
      assertThat(tracks.total()).isEqualTo(10);
      assertThat(tracks.items().get(0).name()).isEqualTo("For Those About To Rock (We Salute You)");
      Album album = await(stack.repository.album(album1)).orElseThrow();
      assertThat(album.name()).isEqualTo("For Those About To Rock We Salute You");
      assertThat(
              await(stack.repository.albumsOfArtist(Base62Id.named("chinook:artist:1"), 0, 50))
                  .items())
          .extracting(Album::name)
          .containsExactlyInAnyOrder("For Those About To Rock We Salute You", "Let There Be Rock");
    }
  }

  private static BulkWriter.Result load(CatalogStack stack, ChinookCatalog chinook)
      throws Exception {
    long t0 = System.nanoTime();
    BulkWriter writer =
        new BulkWriter(stack.repository, stack.vertx.getOrCreateContext(), 64, null);
    chinook.writeTo(writer);
    BulkWriter.Result result = writer.finish(5, TimeUnit.MINUTES);
    LOG.info(
        "Chinook import: {} artists, {} albums, {} tracks in {} ms.",
        result.artists(),
        result.albums(),
        result.tracks(),
        (System.nanoTime() - t0) / 1_000_000);
    return result;
  }

  private static Map<String, Long> counts(CatalogStack stack) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : TABLES) {
      counts.put(table, stack.count(table));
    }
    return counts;
  }

  static Path chinookFile() {
    return io.cadenza.catalog.ChinookData.file();
  }
}
