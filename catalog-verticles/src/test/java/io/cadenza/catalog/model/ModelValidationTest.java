package io.cadenza.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelValidationTest {

  static final String ARTIST = Base62Id.named("test:artist");
  static final String ALBUM = Base62Id.named("test:album");
  static final String TRACK = Base62Id.named("test:track");

  static Album album(String date, String precision) {
    return new Album(
        ALBUM, "Album", "album", List.of(ARTIST), date, precision, 10, List.of(), 5, List.of());
  }

  static Track track(int disc, int number, int durationMs, String isrc, int popularity) {
    return new Track(
        TRACK,
        "Song",
        ALBUM,
        List.of(ARTIST),
        disc,
        number,
        durationMs,
        false,
        isrc,
        List.of("Rock"),
        popularity);
  }

  @Test
  void aValidTrackKeepsItsFieldsAndHasACadenzaUri() {
    Track track = track(1, 3, 200_000, "USRC17607839", 42);
    assertThat(track.isrc()).isEqualTo("USRC17607839");
    assertThat(track.uri()).isEqualTo("cadenza:track:" + TRACK);
  }

  @Test
  void isrcMayBeUnknownButNotMalformed() {
    assertThat(track(1, 1, 1000, null, 0).isrc()).isNull();
    assertThatThrownBy(() -> track(1, 1, 1000, "US-RC1-76-07839", 0))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("isrc");
    assertThatThrownBy(() -> track(1, 1, 1000, "usrc17607839", 0))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void popularityIsZeroToHundred() {
    assertThat(track(1, 1, 1000, null, 100).popularity()).isEqualTo(100);
    assertThatThrownBy(() -> track(1, 1, 1000, null, 101))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("popularity");
    assertThatThrownBy(() -> track(1, 1, 1000, null, -1)).isInstanceOf(ValidationException.class);
  }

  @Test
  void discAndTrackNumbersStartAtOneAndDurationIsPositive() {
    assertThatThrownBy(() -> track(0, 1, 1000, null, 0)).hasMessageContaining("disc_number");
    assertThatThrownBy(() -> track(1, 0, 1000, null, 0)).hasMessageContaining("track_number");
    assertThatThrownBy(() -> track(1, 1, 0, null, 0)).hasMessageContaining("duration_ms");
  }

  @Test
  void idsMustBeBase62AndArtistsListedOnce() {
    assertThatThrownBy(() -> new Artist("not-an-id", "A", List.of(), 0, List.of()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("artist id");
    assertThatThrownBy(
            () ->
                new Track(
                    TRACK, "S", ALBUM, List.of(ARTIST, ARTIST), 1, 1, 1, false, null, null, 0))
        .hasMessageContaining("must not repeat");
    assertThatThrownBy(() -> new Track(TRACK, "S", ALBUM, List.of(), 1, 1, 1, false, null, null, 0))
        .hasMessageContaining("at least one");
  }

  @Test
  void namesMustNotBeBlank() {
    assertThatThrownBy(() -> new Artist(ARTIST, " ", List.of(), 0, List.of()))
        .hasMessageContaining("artist name");
  }

  @Test
  void genresAreCopiedAndMayNotRepeatIgnoringCase() {
    List<String> genres = new ArrayList<>(List.of("Rock", "Jazz"));
    Artist artist = new Artist(ARTIST, "A", genres, 0, null);
    genres.add("Pop");
    assertThat(artist.genres()).containsExactly("Rock", "Jazz");
    assertThat(artist.images()).isEmpty();
    assertThatThrownBy(() -> new Artist(ARTIST, "A", List.of("Rock", "rock"), 0, List.of()))
        .hasMessageContaining("repeat");
  }

  @Test
  void releaseDateFollowsItsPrecision() {
    assertThat(album("1981", "year").releaseDay()).contains(LocalDate.of(1981, 1, 1));
    assertThat(album("1981-12", "month").releaseDay()).contains(LocalDate.of(1981, 12, 1));
    assertThat(album("1981-12-15", "day").releaseDay()).contains(LocalDate.of(1981, 12, 15));
    assertThat(album(null, null).releaseDay()).isEmpty();
    assertThatThrownBy(() -> album("1981-12-15", "year")).hasMessageContaining("shape");
    assertThatThrownBy(() -> album("1981-02-30", "day")).hasMessageContaining("real date");
    assertThatThrownBy(() -> album("1981", null)).hasMessageContaining("both");
    assertThatThrownBy(() -> album("1981", "decade")).hasMessageContaining("precision");
  }

  @Test
  void albumTypeIsOneOfSpotifys() {
    assertThatThrownBy(
            () ->
                new Album(
                    ALBUM, "A", "ep", List.of(ARTIST), null, null, 1, List.of(), 0, List.of()))
        .hasMessageContaining("album_type");
  }

  @Test
  void imagesNeedAUrlAndPositiveSizes() {
    assertThat(new Image("https://img.example/1.jpg", 640, 640).width()).isEqualTo(640);
    assertThat(new Image("https://img.example/1.jpg", null, null).height()).isNull();
    assertThatThrownBy(() -> new Image("", 1, 1)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new Image("u", 0, 1)).isInstanceOf(ValidationException.class);
  }

  @Test
  void entityTypesHaveWireNames() {
    assertThat(EntityType.fromWire("album")).isEqualTo(EntityType.ALBUM);
    assertThatThrownBy(() -> EntityType.fromWire("playlist"))
        .isInstanceOf(ValidationException.class);
  }
}
