package io.cadenza.edge.player;

import io.cadenza.catalog.api.CatalogReads;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.catalog.store.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the player needs of the catalog: full track objects to show, and tracks with their durations
 * to play. {@link #of} reads through the node's cached catalog; tests give their own.
 */
public interface PlayerCatalog {

  /** Spotify track objects of the ids found, keyed by id (unknown ids are left out). */
  Future<Map<String, JsonObject>> trackObjects(List<String> ids);

  /** The tracks of the ids found, keyed by id (unknown ids are left out). */
  Future<Map<String, Track>> tracks(List<String> ids);

  /** An album's tracks in album order; empty when there is no such album. */
  Future<Optional<List<Track>>> albumTracks(String albumId);

  /** An artist's top tracks, most popular first; empty when there is no such artist. */
  Future<Optional<List<Track>>> artistTopTracks(String artistId);

  /** The catalog of a node: cached repository reads, tracks rendered by {@code reads}. */
  static PlayerCatalog of(CatalogRepository repository, CatalogReads reads) {
    return new PlayerCatalog() {
      private static final int RENDER_BATCH = CatalogReads.MAX_TRACK_IDS;
      private static final int READ_BATCH = CatalogRepository.MAX_IDS;
      private static final int PAGE = 50;
      private static final int TOP = 10;

      @Override
      public Future<Map<String, JsonObject>> trackObjects(List<String> ids) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(ids));
        List<Future<JsonObject>> batches = new ArrayList<>();
        for (int from = 0; from < wanted.size(); from += RENDER_BATCH) {
          batches.add(
              reads.tracks(
                  String.join(
                      ",", wanted.subList(from, Math.min(wanted.size(), from + RENDER_BATCH)))));
        }
        return Future.all(batches)
            .map(
                all -> {
                  Map<String, JsonObject> out = new LinkedHashMap<>();
                  for (Future<JsonObject> batch : batches) {
                    JsonArray tracks = batch.result().getJsonArray("tracks");
                    for (Object track : tracks) {
                      if (track instanceof JsonObject t) {
                        out.put(t.getString("id"), t);
                      }
                    }
                  }
                  return out;
                });
      }

      @Override
      public Future<Map<String, Track>> tracks(List<String> ids) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(ids));
        List<Future<Map<String, Track>>> batches = new ArrayList<>();
        for (int from = 0; from < wanted.size(); from += READ_BATCH) {
          batches.add(
              repository.tracks(wanted.subList(from, Math.min(wanted.size(), from + READ_BATCH))));
        }
        return Future.all(batches)
            .map(
                all -> {
                  Map<String, Track> out = new LinkedHashMap<>();
                  batches.forEach(b -> out.putAll(b.result()));
                  return out;
                });
      }

      @Override
      public Future<Optional<List<Track>>> albumTracks(String albumId) {
        return repository
            .album(albumId)
            .compose(
                album ->
                    album.isEmpty()
                        ? Future.succeededFuture(Optional.empty())
                        : pages(albumId, 0, new ArrayList<>()).map(Optional::of));
      }

      /** The album's track list, one page after another (at most the repository's offsets). */
      private Future<List<Track>> pages(String albumId, int offset, List<Track> sofar) {
        return repository
            .tracksOfAlbum(albumId, offset, PAGE)
            .compose(
                (Page<Track> page) -> {
                  sofar.addAll(page.items());
                  int next = offset + page.items().size();
                  if (page.items().isEmpty()
                      || next >= page.total()
                      || next > CatalogRepository.MAX_OFFSET) {
                    return Future.succeededFuture(List.copyOf(sofar));
                  }
                  return pages(albumId, next, sofar);
                });
      }

      @Override
      public Future<Optional<List<Track>>> artistTopTracks(String artistId) {
        return repository
            .artist(artistId)
            .compose(
                artist ->
                    artist.isEmpty()
                        ? Future.succeededFuture(Optional.empty())
                        : repository.topTracks(artistId, TOP).map(Optional::of));
      }
    };
  }
}
