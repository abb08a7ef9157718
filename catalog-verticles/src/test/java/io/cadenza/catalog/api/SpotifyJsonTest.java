package io.cadenza.catalog.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Image;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.Page;
import io.cadenza.catalog.store.Slice;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpotifyJsonTest {

  private static final String ARTIST_ID = "0OdUWJ0sBjDrqHygGUXeCF";
  private static final String ALBUM_ID = "4aawyAB9vmqN3uQ7FjRGTy";
  private static final String TRACK_ID = "11dFghVXANMlKmJXsNCbNl";

  // Field lists of the reference (fixed-spotify-open-api.yml): required properties of
  // SimplifiedArtistObject, ArtistObject, SimplifiedAlbumObject, AlbumObject,
  // SimplifiedTrackObject and TrackObject (the optional is_playable, linked_from and
  // restrictions are left out: Cadenza has no markets).
  private static final List<String> SIMPLIFIED_ARTIST =
      List.of("external_urls", "href", "id", "name", "type", "uri");
  private static final List<String> ARTIST =
      List.of(
          "external_urls",
          "followers",
          "genres",
          "href",
          "id",
          "images",
          "name",
          "popularity",
          "type",
          "uri");
  private static final List<String> SIMPLIFIED_ALBUM =
      List.of(
          "album_type",
          "total_tracks",
          "available_markets",
          "external_urls",
          "href",
          "id",
          "images",
          "name",
          "release_date",
          "release_date_precision",
          "type",
          "uri",
          "artists");
  private static final List<String> ALBUM_EXTRA =
      List.of("tracks", "copyrights", "external_ids", "genres", "label", "popularity");
  private static final List<String> SIMPLIFIED_TRACK =
      List.of(
          "artists",
          "available_markets",
          "disc_number",
          "duration_ms",
          "explicit",
          "external_urls",
          "href",
          "id",
          "name",
          "preview_url",
          "track_number",
          "type",
          "uri",
          "is_local");
  private static final List<String> TRACK_EXTRA = List.of("album", "external_ids", "popularity");
  private static final List<String> PAGING =
      List.of("href", "items", "limit", "next", "offset", "previous", "total");

  private final SpotifyJson json = new SpotifyJson("https://cadenza.example/");

  private final Artist artist =
      new Artist(
          ARTIST_ID,
          "Pitbull",
          List.of("dance pop", "pop"),
          86,
          List.of(new Image("https://img.example/a.jpg", 640, 640)));
  private final Album album =
      new Album(
          ALBUM_ID,
          "Global Warming",
          "album",
          List.of(ARTIST_ID),
          "2012-11-16",
          "day",
          14,
          List.of("pop"),
          57,
          List.of());
  private final Track track =
      new Track(
          TRACK_ID,
          "Feel This Moment",
          ALBUM_ID,
          List.of(ARTIST_ID),
          1,
          3,
          229_506,
          false,
          "USRC11200779",
          List.of(),
          70);
  private final Map<String, Artist> artists = Map.of(ARTIST_ID, artist);

  @Test
  void simplifiedArtistHasSpotifyFields() {
    JsonObject out = json.simplifiedArtist(artist);
    assertThat(out.fieldNames()).containsExactlyInAnyOrderElementsOf(SIMPLIFIED_ARTIST);
    assertThat(out.getString("uri")).isEqualTo("cadenza:artist:" + ARTIST_ID);
    assertThat(out.getString("href")).isEqualTo("https://cadenza.example/v1/artists/" + ARTIST_ID);
    assertThat(out.getJsonObject("external_urls").getString("spotify"))
        .isEqualTo("https://cadenza.example/artist/" + ARTIST_ID);
  }

  @Test
  void fullArtistHasGenresImagesPopularityAndFollowers() {
    JsonObject out = json.artist(artist);
    assertThat(out.fieldNames()).containsExactlyInAnyOrderElementsOf(ARTIST);
    assertThat(out.getJsonArray("genres").getList()).containsExactly("dance pop", "pop");
    assertThat(out.getJsonArray("images").getJsonObject(0).getInteger("height")).isEqualTo(640);
    assertThat(out.getInteger("popularity")).isEqualTo(86);
    assertThat(out.getJsonObject("followers").getInteger("total")).isZero();
  }

  @Test
  void simplifiedAlbumCarriesReleaseDateWithPrecisionAndArtists() {
    JsonObject out = json.simplifiedAlbum(album, artists);
    assertThat(out.fieldNames()).containsExactlyInAnyOrderElementsOf(SIMPLIFIED_ALBUM);
    assertThat(out.getString("release_date")).isEqualTo("2012-11-16");
    assertThat(out.getString("release_date_precision")).isEqualTo("day");
    assertThat(out.getJsonArray("available_markets")).isEmpty();
    assertThat(out.getJsonArray("artists").getJsonObject(0).getString("id")).isEqualTo(ARTIST_ID);
  }

  @Test
  void fullAlbumEmbedsFirstPageOfTracks() {
    JsonObject out = json.album(album, new Page<>(List.of(track), 0, 20, 1), artists);
    assertThat(out.fieldNames())
        .containsExactlyInAnyOrderElementsOf(concat(SIMPLIFIED_ALBUM, ALBUM_EXTRA));
    JsonObject tracks = out.getJsonObject("tracks");
    assertThat(tracks.fieldNames()).containsExactlyInAnyOrderElementsOf(PAGING);
    assertThat(tracks.getInteger("total")).isEqualTo(1);
    assertThat(tracks.getValue("next")).isNull();
    assertThat(tracks.getJsonArray("items").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrderElementsOf(SIMPLIFIED_TRACK);
  }

  @Test
  void fullTrackEmbedsSimplifiedAlbumAndIsrc() {
    JsonObject out = json.track(track, album, artists);
    assertThat(out.fieldNames())
        .containsExactlyInAnyOrderElementsOf(concat(SIMPLIFIED_TRACK, TRACK_EXTRA));
    assertThat(out.getInteger("duration_ms")).isEqualTo(229_506);
    assertThat(out.getInteger("track_number")).isEqualTo(3);
    assertThat(out.getInteger("disc_number")).isEqualTo(1);
    assertThat(out.getBoolean("explicit")).isFalse();
    assertThat(out.getJsonObject("external_ids").getString("isrc")).isEqualTo("USRC11200779");
    assertThat(out.getJsonObject("album").fieldNames())
        .containsExactlyInAnyOrderElementsOf(SIMPLIFIED_ALBUM);
  }

  @Test
  void trackWithoutIsrcHasEmptyExternalIds() {
    Track noIsrc =
        new Track(
            TRACK_ID, "x", ALBUM_ID, List.of(ARTIST_ID), 1, 1, 1000, true, null, List.of(), 0);
    assertThat(json.track(noIsrc, album, artists).getJsonObject("external_ids")).isEmpty();
  }

  @Test
  void pageLinksNextAndPrevious() {
    JsonObject out =
        json.page("https://h/v1/x", new Page<>(List.of(track), 20, 20, 45), t -> new JsonObject());
    assertThat(out.getString("next")).isEqualTo("https://h/v1/x?offset=40&limit=20");
    assertThat(out.getString("previous")).isEqualTo("https://h/v1/x?offset=0&limit=20");
    assertThat(out.getLong("total")).isEqualTo(45);
  }

  @Test
  void sliceTotalCountsOneMoreWhenMoreFollow() {
    JsonObject out =
        json.slice(
            "https://h/v1/x", new Slice<>(List.of(track), 0, 1, true), t -> new JsonObject());
    assertThat(out.getLong("total")).isEqualTo(2);
    assertThat(out.getString("next")).isEqualTo("https://h/v1/x?offset=1&limit=1");
    assertThat(out.getValue("previous")).isNull();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
