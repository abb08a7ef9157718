package io.cadenza.edge.player;

import io.cadenza.catalog.model.Track;
import io.cadenza.config.id.Base62Id;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory catalog for the player's unit tests: albums and artists of made-up tracks. */
public final class FakeCatalog implements PlayerCatalog {

  public final Map<String, Track> tracks = new LinkedHashMap<>();
  public final Map<String, List<Track>> albums = new LinkedHashMap<>();
  final Map<String, List<Track>> artists = new LinkedHashMap<>();
  final List<List<String>> objectReads = new ArrayList<>();

  /** An album of {@code count} tracks of 100 s, 200 s, ...; returns its id. */
  public String album(String name, int count) {
    String albumId = Base62Id.named("album:" + name);
    String artistId = Base62Id.named("artist:" + name);
    List<Track> list = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      Track track =
          new Track(
              Base62Id.named("track:" + name + ":" + i),
              name + " " + i,
              albumId,
              List.of(artistId),
              1,
              i,
              i * 100_000,
              false,
              null,
              List.of(),
              50);
      tracks.put(track.id(), track);
      list.add(track);
    }
    albums.put(albumId, list);
    artists.put(artistId, list.subList(0, Math.min(count, 10)));
    return albumId;
  }

  @Override
  public Future<Map<String, JsonObject>> trackObjects(List<String> ids) {
    objectReads.add(List.copyOf(ids));
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (String id : ids) {
      Track track = tracks.get(id);
      if (track != null) {
        out.put(
            id,
            new JsonObject()
                .put("id", id)
                .put("type", "track")
                .put("name", track.name())
                .put("uri", Base62Id.uri("track", id))
                .put("duration_ms", track.durationMs()));
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Map<String, Track>> tracks(List<String> ids) {
    Map<String, Track> out = new LinkedHashMap<>();
    ids.forEach(
        id -> {
          if (tracks.containsKey(id)) {
            out.put(id, tracks.get(id));
          }
        });
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Optional<List<Track>>> albumTracks(String albumId) {
    return Future.succeededFuture(Optional.ofNullable(albums.get(albumId)));
  }

  @Override
  public Future<Optional<List<Track>>> artistTopTracks(String artistId) {
    return Future.succeededFuture(Optional.ofNullable(artists.get(artistId)));
  }
}
