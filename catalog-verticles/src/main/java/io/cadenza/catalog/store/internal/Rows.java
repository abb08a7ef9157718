package io.cadenza.catalog.store.internal;

import com.datastax.oss.driver.api.core.cql.Row;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Image;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.model.TrackMedia;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows to model records and back. Entity tables and their whole-row copies (albums_by_artist,
 * tracks_by_album) use the same column names, so one mapper reads both.
 */
final class Rows {

  static final String ARTIST_COLUMNS = "id, name, genres, popularity, images";
  static final String ALBUM_COLUMNS =
      "id, name, album_type, artist_ids, release_date, release_date_precision, total_tracks,"
          + " genres, popularity, images";
  static final String TRACK_COLUMNS =
      "id, name, album_id, artist_ids, disc_number, track_number, duration_ms, explicit, isrc,"
          + " genres, popularity";

  private Rows() {}

  static Artist artist(Row row) {
    return new Artist(
        row.getString("id"),
        row.getString("name"),
        row.getList("genres", String.class),
        row.getInt("popularity"),
        images(row.getString("images")));
  }

  static Album album(Row row) {
    return new Album(
        row.getString("id"),
        row.getString("name"),
        row.getString("album_type"),
        row.getList("artist_ids", String.class),
        row.getString("release_date"),
        row.getString("release_date_precision"),
        row.getInt("total_tracks"),
        row.getList("genres", String.class),
        row.getInt("popularity"),
        images(row.getString("images")));
  }

  static Track track(Row row) {
    return new Track(
        row.getString("id"),
        row.getString("name"),
        row.getString("album_id"),
        row.getList("artist_ids", String.class),
        row.getInt("disc_number"),
        row.getInt("track_number"),
        row.getInt("duration_ms"),
        row.getBoolean("explicit"),
        row.getString("isrc"),
        row.getList("genres", String.class),
        row.getInt("popularity"));
  }

  /** A row of media-store's {@code media} table. */
  static TrackMedia media(Row row) {
    List<TrackMedia.Rendition> renditions = new ArrayList<>();
    String json = row.getString("renditions");
    if (json != null) {
      for (Object item : new JsonArray(json)) {
        JsonObject r = (JsonObject) item;
        renditions.add(
            new TrackMedia.Rendition(
                r.getString("name"),
                r.getString("codecs"),
                r.getInteger("bitrate", 0),
                r.getBoolean("premium", false)));
      }
    }
    return new TrackMedia(
        row.getString("track_id"),
        row.getLong("duration_ms"),
        row.getDouble("loudness_lufs"),
        row.getDouble("gain_db"),
        renditions);
  }

  static String imagesJson(List<Image> images) {
    if (images.isEmpty()) {
      return null;
    }
    JsonArray json = new JsonArray();
    for (Image image : images) {
      json.add(
          new JsonObject()
              .put("url", image.url())
              .put("height", image.height())
              .put("width", image.width()));
    }
    return json.encode();
  }

  static List<Image> images(String json) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    List<Image> images = new ArrayList<>();
    for (Object item : new JsonArray(json)) {
      JsonObject image = (JsonObject) item;
      images.add(
          new Image(image.getString("url"), image.getInteger("height"), image.getInteger("width")));
    }
    return images;
  }
}
