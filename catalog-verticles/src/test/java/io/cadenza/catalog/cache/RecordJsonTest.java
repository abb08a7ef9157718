package io.cadenza.catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Image;
import io.cadenza.catalog.model.Track;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  private static final String ARTIST = "0OdUWJ0sBjDrqHygGUXeCF";
  private static final String ALBUM = "4aawyAB9vmqN3uQ7FjRGTy";

  @Test
  void artistRoundTrips() {
    Artist artist =
        new Artist(ARTIST, "A", List.of("pop"), 5, List.of(new Image("https://i/x", null, 64)));
    assertThat(RecordJson.artist(RecordJson.artist(artist))).isEqualTo(artist);
  }

  @Test
  void albumRoundTripsWithAndWithoutReleaseDate() {
    Album dated =
        new Album(ALBUM, "B", "single", List.of(ARTIST), "2020-05", "month", 2, List.of(), 9, null);
    Album undated =
        new Album(ALBUM, "B", "album", List.of(ARTIST), null, null, 0, List.of("x"), 0, null);
    assertThat(RecordJson.album(RecordJson.album(dated))).isEqualTo(dated);
    assertThat(RecordJson.album(RecordJson.album(undated))).isEqualTo(undated);
  }

  @Test
  void trackRoundTripsWithAndWithoutIsrc() {
    Track withIsrc =
        new Track(
            "11dFghVXANMlKmJXsNCbNl",
            "C",
            ALBUM,
            List.of(ARTIST),
            2,
            7,
            1234,
            true,
            "USRC17607839",
            List.of("rock"),
            42);
    Track without =
        new Track(
            "11dFghVXANMlKmJXsNCbNl", "C", ALBUM, List.of(ARTIST), 1, 1, 1, false, null, null, 0);
    assertThat(RecordJson.track(RecordJson.track(withIsrc))).isEqualTo(withIsrc);
    assertThat(RecordJson.track(RecordJson.track(without))).isEqualTo(without);
  }
}
