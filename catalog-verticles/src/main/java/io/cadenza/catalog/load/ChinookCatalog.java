package io.cadenza.catalog.load;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Chinook sample database ({@code ChinookData.json}: tables Artist, Album, Track, Genre,
 * InvoiceLine...) as catalog entities.
 *
 * <ul>
 *   <li>Ids: {@code Base62Id.named("chinook:artist:" + ArtistId)}, {@code "chinook:album:" +
 *       AlbumId}, {@code "chinook:track:" + TrackId} — the ids media-store's demo catalog gives the
 *       same tracks.
 *   <li>Tracks: {@code Name}, {@code Milliseconds}, the album's artist, disc 1, track number = the
 *       position in its album by TrackId (as the demo catalog numbers them), its {@code Genre}.
 *       Chinook has no ISRCs, explicit flags or release dates: isrc and the release date stay
 *       empty, explicit is false (Spotify's value for "not known to be explicit").
 *   <li>Albums: {@code Title}, type {@code album}, its artist, {@code total_tracks} counted.
 *   <li>Genres of an album and of an artist: the distinct genres of their tracks, the most frequent
 *       first (ties by name); an artist without albums has none.
 *   <li>Popularity from sales: the quantities of InvoiceLine summed per track, per album (its
 *       tracks) and per artist (its albums' tracks); {@code round(100 × sales ÷ the best seller's
 *       sales)} within each kind, so the best-selling track, album and artist have 100 and unsold
 *       ones 0.
 * </ul>
 */
public record ChinookCatalog(List<Artist> artists, List<Album> albums, List<Track> tracks) {

  public ChinookCatalog {
    artists = List.copyOf(artists);
    albums = List.copyOf(albums);
    tracks = List.copyOf(tracks);
  }

  public static String artistId(long artistId) {
    return Base62Id.named("chinook:artist:" + artistId);
  }

  public static String albumId(long albumId) {
    return Base62Id.named("chinook:album:" + albumId);
  }

  public static String trackId(long trackId) {
    return Base62Id.named("chinook:track:" + trackId);
  }

  /** Reads and maps the file; {@link ValidationException} when it is not Chinook's JSON. */
  public static ChinookCatalog read(Path file) throws IOException {
    try {
      return from(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (DecodeException e) {
      throw new ValidationException(file + " is not JSON: " + e.getMessage());
    }
  }

  public static ChinookCatalog from(JsonObject data) {
    Map<Long, String> genreNames = new HashMap<>();
    for (JsonObject genre : table(data, "Genre")) {
      genreNames.put(genre.getLong("GenreId"), genre.getString("Name"));
    }
    Map<Long, Long> trackSales = new HashMap<>();
    for (JsonObject line : table(data, "InvoiceLine")) {
      trackSales.merge(line.getLong("TrackId"), line.getLong("Quantity", 1L), Long::sum);
    }

    Map<Long, JsonObject> albumRows = new LinkedHashMap<>();
    for (JsonObject album : table(data, "Album")) {
      albumRows.put(album.getLong("AlbumId"), album);
    }
    List<JsonObject> trackRows = new ArrayList<>(table(data, "Track"));
    trackRows.sort(Comparator.comparingLong(t -> t.getLong("TrackId")));

    Map<Long, List<JsonObject>> tracksByAlbum = new LinkedHashMap<>();
    for (JsonObject track : trackRows) {
      Long albumId = track.getLong("AlbumId");
      if (albumId == null || !albumRows.containsKey(albumId)) {
        throw new ValidationException(
            "Chinook track " + track.getLong("TrackId") + " has no album");
      }
      tracksByAlbum.computeIfAbsent(albumId, k -> new ArrayList<>()).add(track);
    }

    // Sales and genres per album and per artist.
    Map<Long, Long> albumSales = new HashMap<>();
    Map<Long, Long> artistSales = new HashMap<>();
    Map<Long, Map<String, Integer>> albumGenres = new HashMap<>();
    Map<Long, Map<String, Integer>> artistGenres = new HashMap<>();
    for (JsonObject track : trackRows) {
      long albumId = track.getLong("AlbumId");
      long artistId = albumRows.get(albumId).getLong("ArtistId");
      long sales = trackSales.getOrDefault(track.getLong("TrackId"), 0L);
      albumSales.merge(albumId, sales, Long::sum);
      artistSales.merge(artistId, sales, Long::sum);
      String genre = genreNames.get(track.getLong("GenreId"));
      if (genre != null) {
        albumGenres.computeIfAbsent(albumId, k -> new HashMap<>()).merge(genre, 1, Integer::sum);
        artistGenres.computeIfAbsent(artistId, k -> new HashMap<>()).merge(genre, 1, Integer::sum);
      }
    }
    long maxTrack = max(trackSales);
    long maxAlbum = max(albumSales);
    long maxArtist = max(artistSales);

    List<Artist> artists = new ArrayList<>();
    List<JsonObject> artistRows = new ArrayList<>(table(data, "Artist"));
    artistRows.sort(Comparator.comparingLong(a -> a.getLong("ArtistId")));
    for (JsonObject artist : artistRows) {
      long id = artist.getLong("ArtistId");
      artists.add(
          new Artist(
              artistId(id),
              artist.getString("Name"),
              byFrequency(artistGenres.get(id)),
              popularity(artistSales.getOrDefault(id, 0L), maxArtist),
              List.of()));
    }

    List<Album> albums = new ArrayList<>();
    List<Track> tracks = new ArrayList<>();
    for (JsonObject album : albumRows.values()) {
      long id = album.getLong("AlbumId");
      String artist = artistId(album.getLong("ArtistId"));
      List<JsonObject> ofAlbum = tracksByAlbum.getOrDefault(id, List.of());
      albums.add(
          new Album(
              albumId(id),
              album.getString("Title"),
              "album",
              List.of(artist),
              null,
              null,
              ofAlbum.size(),
              byFrequency(albumGenres.get(id)),
              popularity(albumSales.getOrDefault(id, 0L), maxAlbum),
              List.of()));
      int number = 0;
      for (JsonObject track : ofAlbum) {
        long trackId = track.getLong("TrackId");
        String genre = genreNames.get(track.getLong("GenreId"));
        tracks.add(
            new Track(
                trackId(trackId),
                track.getString("Name"),
                albumId(id),
                List.of(artist),
                1,
                ++number,
                track.getInteger("Milliseconds"),
                false,
                null,
                genre == null ? List.of() : List.of(genre),
                popularity(trackSales.getOrDefault(trackId, 0L), maxTrack)));
      }
    }
    return new ChinookCatalog(artists, albums, tracks);
  }

  /** Hands every artist, then every album, then every track to the sink. */
  public void writeTo(CatalogSink sink) {
    artists.forEach(sink::artist);
    albums.forEach(sink::album);
    tracks.forEach(sink::track);
  }

  /** {@code round(100 × sales ÷ max)}, 0 when nothing sold. */
  static int popularity(long sales, long max) {
    return max == 0 ? 0 : (int) Math.round(100.0 * sales / max);
  }

  private static long max(Map<Long, Long> sales) {
    return sales.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private static List<String> byFrequency(Map<String, Integer> counts) {
    if (counts == null) {
      return List.of();
    }
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static List<JsonObject> table(JsonObject data, String name) {
    JsonArray rows = data.getJsonArray(name);
    if (rows == null) {
      throw new ValidationException("the Chinook data has no " + name + " table");
    }
    List<JsonObject> list = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      list.add(rows.getJsonObject(i));
    }
    return list;
  }
}
