package io.cadenza.catalog.cache;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Image;
import io.cadenza.catalog.model.Track;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The catalog records as the JSON the Redis cache keeps (the records' own field names). */
final class RecordJson {

  private RecordJson() {}

  static String artist(Artist a) {
    return new JsonObject()
        .put("id", a.id())
        .put("name", a.name())
        .put("genres", new JsonArray(List.copyOf(a.genres())))
        .put("popularity", a.popularity())
        .put("images", images(a.images()))
        .encode();
  }

  static Artist artist(String json) {
    JsonObject o = new JsonObject(json);
    return new Artist(
        o.getString("id"),
        o.getString("name"),
        strings(o.getJsonArray("genres")),
        o.getInteger("popularity"),
        images(o.getJsonArray("images")));
  }

  static String album(Album a) {
    return new JsonObject()
        .put("id", a.id())
        .put("name", a.name())
        .put("albumType", a.albumType())
        .put("artistIds", new JsonArray(List.copyOf(a.artistIds())))
        .put("releaseDate", a.releaseDate())
        .put("releaseDatePrecision", a.releaseDatePrecision())
        .put("totalTracks", a.totalTracks())
        .put("genres", new JsonArray(List.copyOf(a.genres())))
        .put("popularity", a.popularity())
        .put("images", images(a.images()))
        .encode();
  }

  static Album album(String json) {
    JsonObject o = new JsonObject(json);
    return new Album(
        o.getString("id"),
        o.getString("name"),
        o.getString("albumType"),
        strings(o.getJsonArray("artistIds")),
        o.getString("releaseDate"),
        o.getString("releaseDatePrecision"),
        o.getInteger("totalTracks"),
        strings(o.getJsonArray("genres")),
        o.getInteger("popularity"),
        images(o.getJsonArray("images")));
  }

  static String track(Track t) {
    return new JsonObject()
        .put("id", t.id())
        .put("name", t.name())
        .put("albumId", t.albumId())
        .put("artistIds", new JsonArray(List.copyOf(t.artistIds())))
        .put("discNumber", t.discNumber())
        .put("trackNumber", t.trackNumber())
        .put("durationMs", t.durationMs())
        .put("explicit", t.explicit())
        .put("isrc", t.isrc())
        .put("genres", new JsonArray(List.copyOf(t.genres())))
        .put("popularity", t.popularity())
        .encode();
  }

  static Track track(String json) {
    JsonObject o = new JsonObject(json);
    return new Track(
        o.getString("id"),
        o.getString("name"),
        o.getString("albumId"),
        strings(o.getJsonArray("artistIds")),
        o.getInteger("discNumber"),
        o.getInteger("trackNumber"),
        o.getInteger("durationMs"),
        o.getBoolean("explicit"),
        o.getString("isrc"),
        strings(o.getJsonArray("genres")),
        o.getInteger("popularity"));
  }

  private static JsonArray images(List<Image> images) {
    JsonArray out = new JsonArray();
    images.forEach(
        i ->
            out.add(
                new JsonObject()
                    .put("url", i.url())
                    .put("height", i.height())
                    .put("width", i.width())));
    return out;
  }

  private static List<Image> images(JsonArray json) {
    List<Image> out = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonObject o = json.getJsonObject(i);
      out.add(new Image(o.getString("url"), o.getInteger("height"), o.getInteger("width")));
    }
    return out;
  }

  private static List<String> strings(JsonArray json) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      out.add(json.getString(i));
    }
    return out;
  }
}
