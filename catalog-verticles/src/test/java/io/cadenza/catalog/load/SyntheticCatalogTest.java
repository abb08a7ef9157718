package io.cadenza.catalog.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticCatalogTest {

  /** Collects what a source hands over. */
  static final class Collected implements CatalogSink {
    final List<Artist> artists = new ArrayList<>();
    final List<Album> albums = new ArrayList<>();
    final List<Track> tracks = new ArrayList<>();
    final List<String> order = new ArrayList<>();

    @Override
    public void artist(Artist artist) {
      artists.add(artist);
      order.add(artist.id());
    }

    @Override
    public void album(Album album) {
      albums.add(album);
      order.add(album.id());
    }

    @Override
    public void track(Track track) {
      tracks.add(track);
      order.add(track.id());
    }
  }

  static Collected generate(long seed, int tracks) {
    Collected collected = new Collected();
    new SyntheticCatalog(seed, tracks).writeTo(collected);
    return collected;
  }

  @Test
  void exactlyTheAskedNumberOfTracks() {
    assertThat(generate(1, 5_000).tracks).hasSize(5_000);
    assertThat(generate(1, 1).tracks).hasSize(1);
  }

  @Test
  void theSameSeedGivesTheSameCatalogAndAnotherSeedAnother() {
    Collected a = generate(42, 2_000);
    Collected b = generate(42, 2_000);
    assertThat(a.tracks).isEqualTo(b.tracks);
    assertThat(a.albums).isEqualTo(b.albums);
    assertThat(a.artists).isEqualTo(b.artists);
    assertThat(generate(43, 2_000).tracks.get(0).id()).isNotEqualTo(a.tracks.get(0).id());
  }

  @Test
  void everyReferenceIsHandedOverBeforeItIsUsedAndTotalsAgree() {
    Collected c = generate(7, 3_000);
    Set<String> seen = new HashSet<>();
    Map<String, Integer> positions = new java.util.HashMap<>();
    for (int i = 0; i < c.order.size(); i++) {
      positions.put(c.order.get(i), i);
    }
    for (Album album : c.albums) {
      assertThat(positions.get(album.artistIds().get(0))).isLessThan(positions.get(album.id()));
    }
    for (Track track : c.tracks) {
      assertThat(positions.get(track.albumId())).isLessThan(positions.get(track.id()));
      seen.add(track.id());
    }
    assertThat(seen).hasSize(3_000);
    Map<String, Long> perAlbum =
        c.tracks.stream().collect(Collectors.groupingBy(Track::albumId, Collectors.counting()));
    for (Album album : c.albums) {
      assertThat(perAlbum.get(album.id())).isEqualTo((long) album.totalTracks());
    }
  }

  @Test
  void realisticValues() {
    Collected c = generate(3, 10_000);
    assertThat(c.tracks).allMatch(t -> t.isrc() != null && Track.ISRC.matcher(t.isrc()).matches());
    assertThat(c.albums)
        .allMatch(
            a ->
                !a.releaseDay().orElseThrow().isBefore(java.time.LocalDate.of(1960, 1, 1))
                    && !a.releaseDay().orElseThrow().isAfter(SyntheticCatalog.LAST_RELEASE));
    assertThat(c.albums).extracting(Album::albumType).contains("album", "single", "compilation");
    assertThat(c.tracks).anyMatch(Track::explicit).anyMatch(t -> !t.explicit());
    assertThat(c.tracks).anyMatch(t -> t.discNumber() == 2);
    double meanMinutes =
        c.tracks.stream().mapToInt(Track::durationMs).average().orElseThrow() / 60_000;
    assertThat(meanMinutes).isBetween(3.0, 4.5);
    assertThat(c.artists.stream().map(Artist::name).distinct().count())
        .isGreaterThan(c.artists.size() * 9L / 10);
  }

  @Test
  void popularityIsSkewedTowardsTheObscure() {
    Random random = new Random(11);
    int[] counts = new int[101];
    for (int i = 0; i < 100_000; i++) {
      counts[SyntheticCatalog.zipfPopularity(random)]++;
    }
    int low = 0;
    for (int p = 0; p <= 10; p++) {
      low += counts[p];
    }
    int high = 0;
    for (int p = 90; p <= 100; p++) {
      high += counts[p];
    }
    // P(p) ∝ 1/(p+1): about 58 % at 0-10, about 2 % at 90-100.
    assertThat(low).isBetween(55_000, 61_000);
    assertThat(high).isBetween(1_500, 3_000);
    assertThat(counts[0]).isGreaterThan(counts[1]).isGreaterThan(counts[50]);
  }
}
