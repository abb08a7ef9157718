package io.cadenza.catalog.search;

import io.cadenza.config.id.Base62Id;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Chinook sample catalog (275 artists, 347 albums, 3503 tracks) as the index's input records,
 * for tests. Chinook has no popularity, so it is derived from its sales: a track's popularity is
 * its units sold (InvoiceLine quantities) scaled so the best seller is 100; albums and artists the
 * same over the sums of their tracks. Genres of albums and artists are those of their tracks.
 * Chinook has no release dates, ISRCs or UPCs.
 *
 * <p>The data is the copy in the test resources (see {@link io.cadenza.catalog.ChinookData}).
 */
final class Chinook {

  /** A Chinook track with the facts tests check results against. */
  record Track(String id, String name, String album, String artist, String genre) {}

  final List<IndexedArtist> artists = new ArrayList<>();
  final List<IndexedAlbum> albums = new ArrayList<>();
  final List<IndexedTrack> indexedTracks = new ArrayList<>();
  final List<Track> tracks = new ArrayList<>();
  final Map<String, String> artistIdsByName = new HashMap<>();

  private Chinook(JsonObject data) {
    Map<Integer, String> genres = new HashMap<>();
    for (JsonObject g : rows(data, "Genre")) {
      genres.put(g.getInteger("GenreId"), g.getString("Name"));
    }
    Map<Integer, Integer> sales = new HashMap<>();
    for (JsonObject line : rows(data, "InvoiceLine")) {
      sales.merge(line.getInteger("TrackId"), line.getInteger("Quantity"), Integer::sum);
    }
    Map<Integer, String> artistNames = new HashMap<>();
    for (JsonObject a : rows(data, "Artist")) {
      artistNames.put(a.getInteger("ArtistId"), a.getString("Name"));
    }
    Map<Integer, JsonObject> albumRows = new HashMap<>();
    for (JsonObject a : rows(data, "Album")) {
      albumRows.put(a.getInteger("AlbumId"), a);
    }

    Map<Integer, Integer> albumSales = new HashMap<>();
    Map<Integer, Integer> artistSales = new HashMap<>();
    Map<Integer, Set<String>> albumGenres = new HashMap<>();
    Map<Integer, Set<String>> artistGenres = new HashMap<>();
    List<JsonObject> trackRows = rows(data, "Track");
    for (JsonObject t : trackRows) {
      int albumId = t.getInteger("AlbumId");
      int artistId = albumRows.get(albumId).getInteger("ArtistId");
      int sold = sales.getOrDefault(t.getInteger("TrackId"), 0);
      albumSales.merge(albumId, sold, Integer::sum);
      artistSales.merge(artistId, sold, Integer::sum);
      String genre = genres.get(t.getInteger("GenreId"));
      if (genre != null) {
        albumGenres.computeIfAbsent(albumId, k -> new LinkedHashSet<>()).add(genre);
        artistGenres.computeIfAbsent(artistId, k -> new LinkedHashSet<>()).add(genre);
      }
    }
    int maxTrack = max(sales);
    int maxAlbum = max(albumSales);
    int maxArtist = max(artistSales);

    for (Map.Entry<Integer, String> a : artistNames.entrySet()) {
      String id = artistId(a.getKey());
      artistIdsByName.put(a.getValue(), id);
      artists.add(
          new IndexedArtist(
              id,
              a.getValue(),
              List.copyOf(artistGenres.getOrDefault(a.getKey(), Set.of())),
              scale(artistSales.getOrDefault(a.getKey(), 0), maxArtist)));
    }
    for (JsonObject a : albumRows.values()) {
      int albumId = a.getInteger("AlbumId");
      int artistId = a.getInteger("ArtistId");
      albums.add(
          new IndexedAlbum(
              Base62Id.named("chinook:album:" + albumId),
              a.getString("Title"),
              List.of(artistId(artistId)),
              List.of(artistNames.get(artistId)),
              null,
              "album",
              List.copyOf(albumGenres.getOrDefault(albumId, Set.of())),
              null,
              scale(albumSales.getOrDefault(albumId, 0), maxAlbum)));
    }
    for (JsonObject t : trackRows) {
      int trackId = t.getInteger("TrackId");
      JsonObject album = albumRows.get(t.getInteger("AlbumId"));
      int artistId = album.getInteger("ArtistId");
      String genre = genres.get(t.getInteger("GenreId"));
      String id = Base62Id.named("chinook:track:" + trackId);
      indexedTracks.add(
          new IndexedTrack(
              id,
              t.getString("Name"),
              Base62Id.named("chinook:album:" + album.getInteger("AlbumId")),
              album.getString("Title"),
              List.of(artistId(artistId)),
              List.of(artistNames.get(artistId)),
              null,
              genre == null ? List.of() : List.of(genre),
              null,
              t.getLong("Milliseconds"),
              false,
              scale(sales.getOrDefault(trackId, 0), maxTrack)));
      tracks.add(
          new Track(
              id, t.getString("Name"), album.getString("Title"), artistNames.get(artistId), genre));
    }
  }

  static Chinook load() {
    Path file = locate();
    try {
      return new Chinook(new JsonObject(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the Chinook data at " + file, e);
    }
  }

  static String artistId(int chinookId) {
    return Base62Id.named("chinook:artist:" + chinookId);
  }

  String artistId(String name) {
    String id = artistIdsByName.get(name);
    if (id == null) {
      throw new IllegalArgumentException("Chinook has no artist " + name);
    }
    return id;
  }

  private static Path locate() {
    return io.cadenza.catalog.ChinookData.file();
  }

  private static List<JsonObject> rows(JsonObject data, String table) {
    JsonArray array = data.getJsonArray(table);
    if (array == null) {
      throw new IllegalStateException("The Chinook data has no table " + table);
    }
    List<JsonObject> rows = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      rows.add(array.getJsonObject(i));
    }
    return rows;
  }

  private static int max(Map<Integer, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  private static int scale(int count, int max) {
    return max == 0 ? 0 : Math.round(100f * count / max);
  }
}
