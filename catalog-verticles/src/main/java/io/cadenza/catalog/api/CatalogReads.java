package io.cadenza.catalog.api;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.search.ItemType;
import io.cadenza.catalog.search.SearchPage;
import io.cadenza.catalog.search.SearchRequest;
import io.cadenza.catalog.search.SearchResult;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.catalog.store.Page;
import io.cadenza.config.error.NotFoundException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog's read endpoints, as Spotify answers them: each composes batched repository reads
 * (the entities asked for, then the albums and artists they embed, one batch read per kind, never
 * one read per item) and renders with {@link SpotifyJson}. A malformed id fails with {@link
 * ValidationException} ({@code Invalid base62 id}), an unknown one with {@link NotFoundException}.
 */
public final class CatalogReads {

  /** Most ids of {@code /v1/tracks?ids=} and {@code /v1/artists?ids=}. */
  public static final int MAX_TRACK_IDS = 50;

  /** Most ids of {@code /v1/albums?ids=}. */
  public static final int MAX_ALBUM_IDS = 20;

  public static final int MAX_ARTIST_IDS = 50;

  /** The size of the track page a full album embeds (Spotify's default for album tracks). */
  static final int ALBUM_TRACKS = 50;

  /** How many tracks {@code /v1/artists/{id}/top-tracks} lists. */
  static final int TOP_TRACKS = 10;

  /** The values {@code include_groups} may list. */
  public static final Set<String> GROUPS = Set.of("album", "single", "appears_on", "compilation");

  private final CatalogRepository repository;
  private final SpotifyJson json;
  private final Clock clock;

  public CatalogReads(CatalogRepository repository, SpotifyJson json, Clock clock) {
    this.repository = repository;
    this.json = json;
    this.clock = clock;
  }

  // ---- tracks

  /** {@code GET /v1/tracks/{id}}: the full track object. */
  public Future<JsonObject> track(String id) {
    checkId(id);
    return tracks(List.of(id)).map(CatalogReads::onlyOne);
  }

  /** {@code GET /v1/tracks?ids=}: {@code {"tracks":[...]}} with null for unknown ids. */
  public Future<JsonObject> tracks(String ids) {
    return tracks(parseIds(ids, MAX_TRACK_IDS)).map(list -> new JsonObject().put("tracks", list));
  }

  private Future<JsonArray> tracks(List<String> ids) {
    return repository
        .tracks(new LinkedHashSet<>(ids))
        .compose(
            tracks ->
                repository
                    .albums(distinct(tracks.values().stream().map(Track::albumId).toList()))
                    .compose(
                        albums -> {
                          List<String> artistIds = new ArrayList<>();
                          tracks.values().forEach(t -> artistIds.addAll(t.artistIds()));
                          albums.values().forEach(a -> artistIds.addAll(a.artistIds()));
                          return readArtists(artistIds)
                              .map(
                                  artists -> {
                                    JsonArray out = new JsonArray();
                                    for (String id : ids) {
                                      Track track = tracks.get(id);
                                      Album album =
                                          track == null ? null : albums.get(track.albumId());
                                      out.add(
                                          album == null ? null : json.track(track, album, artists));
                                    }
                                    return out;
                                  });
                        }));
  }

  // ---- albums

  /** {@code GET /v1/albums/{id}}: the full album object with its first page of tracks. */
  public Future<JsonObject> album(String id) {
    checkId(id);
    return albums(List.of(id)).map(CatalogReads::onlyOne);
  }

  /** {@code GET /v1/albums?ids=}: {@code {"albums":[...]}} with null for unknown ids. */
  public Future<JsonObject> albums(String ids) {
    return albums(parseIds(ids, MAX_ALBUM_IDS)).map(list -> new JsonObject().put("albums", list));
  }

  private Future<JsonArray> albums(List<String> ids) {
    return repository
        .albums(new LinkedHashSet<>(ids))
        .compose(
            albums -> {
              // The repository has no batch read of several albums' track lists: one list read
              // per album found (at most MAX_ALBUM_IDS), all in parallel.
              List<Album> found = List.copyOf(albums.values());
              List<Future<Page<Track>>> pages =
                  found.stream()
                      .map(a -> repository.tracksOfAlbum(a.id(), 0, ALBUM_TRACKS))
                      .toList();
              return Future.all(pages)
                  .compose(
                      all -> {
                        List<String> artistIds = new ArrayList<>();
                        found.forEach(a -> artistIds.addAll(a.artistIds()));
                        pages.forEach(
                            p -> p.result().items().forEach(t -> artistIds.addAll(t.artistIds())));
                        return readArtists(artistIds)
                            .map(
                                artists -> {
                                  JsonArray out = new JsonArray();
                                  for (String id : ids) {
                                    int at = indexOf(found, id);
                                    out.add(
                                        at < 0
                                            ? null
                                            : json.album(
                                                found.get(at), pages.get(at).result(), artists));
                                  }
                                  return out;
                                });
                      });
            });
  }

  /** {@code GET /v1/albums/{id}/tracks}: a paging object of simplified tracks. */
  public Future<JsonObject> albumTracks(String id, int offset, int limit) {
    checkId(id);
    return Future.all(repository.album(id), repository.tracksOfAlbum(id, offset, limit))
        .compose(
            all -> {
              if (all.<java.util.Optional<Album>>resultAt(0).isEmpty()) {
                throw notFound();
              }
              Page<Track> page = all.resultAt(1);
              List<String> artistIds = new ArrayList<>();
              page.items().forEach(t -> artistIds.addAll(t.artistIds()));
              return readArtists(artistIds).map(artists -> json.albumTracks(id, page, artists));
            });
  }

  // ---- artists

  /** {@code GET /v1/artists/{id}}: the full artist object. */
  public Future<JsonObject> artist(String id) {
    checkId(id);
    return repository
        .artist(id)
        .map(artist -> json.artist(artist.orElseThrow(CatalogReads::notFound)));
  }

  /** {@code GET /v1/artists?ids=}: {@code {"artists":[...]}} with null for unknown ids. */
  public Future<JsonObject> artists(String ids) {
    List<String> parsed = parseIds(ids, MAX_ARTIST_IDS);
    return repository
        .artists(new LinkedHashSet<>(parsed))
        .map(
            artists -> {
              JsonArray out = new JsonArray();
              for (String id : parsed) {
                Artist artist = artists.get(id);
                out.add(artist == null ? null : json.artist(artist));
              }
              return new JsonObject().put("artists", out);
            });
  }

  /**
   * {@code GET /v1/artists/{id}/albums}: a paging object of simplified albums, newest first. {@code
   * includeGroups} is checked against Spotify's values; Cadenza lists an artist's own releases
   * (album, single, compilation) whatever it names, as it has no "appears on" lists yet.
   */
  public Future<JsonObject> artistAlbums(String id, String includeGroups, int offset, int limit) {
    checkId(id);
    checkGroups(includeGroups);
    return Future.all(repository.artist(id), repository.albumsOfArtist(id, offset, limit))
        .compose(
            all -> {
              if (all.<java.util.Optional<Artist>>resultAt(0).isEmpty()) {
                throw notFound();
              }
              Page<Album> page = all.resultAt(1);
              return withArtistsOf(page.items())
                  .map(
                      artists ->
                          json.page(
                              json.baseUrl() + "/v1/artists/" + id + "/albums",
                              page,
                              album -> json.simplifiedAlbum(album, artists)));
            });
  }

  /** {@code GET /v1/artists/{id}/top-tracks}: {@code {"tracks":[...]}}, most popular first. */
  public Future<JsonObject> topTracks(String id) {
    checkId(id);
    return Future.all(repository.artist(id), repository.topTracks(id, TOP_TRACKS))
        .compose(
            all -> {
              if (all.<java.util.Optional<Artist>>resultAt(0).isEmpty()) {
                throw notFound();
              }
              List<Track> top = all.resultAt(1);
              return tracks(top.stream().map(Track::id).toList());
            })
        .map(
            list -> {
              JsonArray out = new JsonArray();
              list.forEach(
                  t -> {
                    if (t != null) {
                      out.add(t);
                    }
                  });
              return new JsonObject().put("tracks", out);
            });
  }

  // ---- browse

  /** {@code GET /v1/browse/new-releases}: {@code {"albums": paging}}, newest first. */
  public Future<JsonObject> newReleases(int offset, int limit) {
    return repository
        .newReleases(LocalDate.now(clock), offset, limit)
        .compose(
            slice ->
                withArtistsOf(slice.items())
                    .map(
                        artists ->
                            new JsonObject()
                                .put(
                                    "albums",
                                    json.slice(
                                        json.baseUrl() + "/v1/browse/new-releases",
                                        slice,
                                        album -> json.simplifiedAlbum(album, artists)))));
  }

  /**
   * {@code GET /v1/browse/genres/{genre}/albums} (Cadenza extension): {@code {"albums": paging}} of
   * a genre's albums, most popular first.
   */
  public Future<JsonObject> genreAlbums(String genre, int offset, int limit) {
    if (genre == null || genre.isBlank() || genre.length() > 100) {
      throw new ValidationException("genre must be 1 to 100 characters");
    }
    return repository
        .albumsByGenre(genre, offset, limit)
        .compose(
            slice ->
                withArtistsOf(slice.items())
                    .map(
                        artists ->
                            new JsonObject()
                                .put(
                                    "albums",
                                    json.slice(
                                        json.baseUrl()
                                            + "/v1/browse/genres/"
                                            + java.net.URLEncoder.encode(
                                                    genre, java.nio.charset.StandardCharsets.UTF_8)
                                                .replace("+", "%20")
                                            + "/albums",
                                        slice,
                                        album -> json.simplifiedAlbum(album, artists)))));
  }

  // ---- search

  /**
   * {@code GET /v1/search}: one paging object per requested type, keyed {@code tracks}, {@code
   * artists}, ..., in the order requested, with the hits rendered in their order (full artists and
   * tracks, simplified albums, as in Spotify) and the exact total. A hit whose entity has gone
   * since it was indexed is left out of its page. Types Cadenza does not index answer an empty
   * page.
   *
   * @param q the query as the client sent it, for the paging addresses
   */
  public Future<JsonObject> search(String q, SearchRequest request, SearchResult result) {
    Map<ItemType, Future<List<JsonObject>>> rendered = new java.util.LinkedHashMap<>();
    for (ItemType type : request.types()) {
      List<String> ids = result.page(type).ids();
      if (ids.isEmpty()) {
        rendered.put(type, Future.succeededFuture(List.of()));
        continue;
      }
      rendered.put(
          type,
          switch (type) {
            case ARTIST ->
                repository
                    .artists(new LinkedHashSet<>(ids))
                    .map(
                        found ->
                            ids.stream()
                                .map(found::get)
                                .filter(java.util.Objects::nonNull)
                                .map(json::artist)
                                .toList());
            case ALBUM ->
                repository
                    .albums(new LinkedHashSet<>(ids))
                    .compose(
                        found ->
                            withArtistsOf(List.copyOf(found.values()))
                                .map(
                                    artists ->
                                        ids.stream()
                                            .map(found::get)
                                            .filter(java.util.Objects::nonNull)
                                            .map(album -> json.simplifiedAlbum(album, artists))
                                            .toList()));
            case TRACK ->
                tracks(ids)
                    .map(
                        array ->
                            array.stream()
                                .filter(java.util.Objects::nonNull)
                                .map(JsonObject.class::cast)
                                .toList());
            default -> Future.succeededFuture(List.<JsonObject>of());
          });
    }
    return Future.all(List.copyOf(rendered.values()))
        .map(
            all -> {
              JsonObject out = new JsonObject();
              rendered.forEach(
                  (type, items) -> {
                    SearchPage page = result.page(type);
                    String href =
                        json.baseUrl()
                            + "/v1/search?q="
                            + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8)
                                .replace("+", "%20")
                            + "&type="
                            + type.key();
                    out.put(
                        type.resultKey(),
                        json.page(
                            href,
                            new Page<>(items.result(), page.offset(), page.limit(), page.total()),
                            item -> item));
                  });
              return out;
            });
  }

  // ---- shared

  private Future<Map<String, Artist>> withArtistsOf(List<Album> albums) {
    List<String> ids = new ArrayList<>();
    albums.forEach(a -> ids.addAll(a.artistIds()));
    return readArtists(ids);
  }

  /**
   * The artists of {@code ids} (repeats dropped), read in batches of the repository's largest
   * batch: 50 tracks with several artists each can name more artists than one batch takes.
   */
  private Future<Map<String, Artist>> readArtists(List<String> ids) {
    List<String> wanted = List.copyOf(distinct(ids));
    List<Future<Map<String, Artist>>> batches = new ArrayList<>();
    for (int from = 0; from < wanted.size(); from += CatalogRepository.MAX_IDS) {
      batches.add(
          repository.artists(
              wanted.subList(from, Math.min(wanted.size(), from + CatalogRepository.MAX_IDS))));
    }
    return Future.all(batches)
        .map(
            all -> {
              Map<String, Artist> out = new java.util.LinkedHashMap<>();
              batches.forEach(b -> out.putAll(b.result()));
              return out;
            });
  }

  /**
   * The ids of an {@code ids=} parameter: comma-separated, 1 to {@code max}, each a base62 id
   * (repeats allowed: each gets its answer, as in Spotify).
   */
  static List<String> parseIds(String ids, int max) {
    if (ids == null || ids.isBlank()) {
      throw new ValidationException("ids must list at least one id");
    }
    List<String> parsed = List.of(ids.split(",", -1));
    if (parsed.size() > max) {
      throw new ValidationException("Too many ids requested (at most " + max + ")");
    }
    parsed.forEach(CatalogReads::checkId);
    return parsed;
  }

  static void checkGroups(String includeGroups) {
    if (includeGroups == null || includeGroups.isEmpty()) {
      return;
    }
    for (String group : includeGroups.split(",", -1)) {
      if (!GROUPS.contains(group)) {
        throw new ValidationException(
            "include_groups must list album, single, appears_on or compilation, not " + group);
      }
    }
  }

  private static void checkId(String id) {
    if (!Base62Id.isValid(id)) {
      throw new ValidationException("Invalid base62 id");
    }
  }

  /** The one object of a batch read of one id; 404 when it is unknown (null). */
  private static JsonObject onlyOne(JsonArray batch) {
    JsonObject found = (JsonObject) batch.getValue(0);
    if (found == null) {
      throw notFound();
    }
    return found;
  }

  private static NotFoundException notFound() {
    return new NotFoundException("Non existing id");
  }

  private static Collection<String> distinct(List<String> ids) {
    return new LinkedHashSet<>(ids);
  }

  private static int indexOf(List<Album> albums, String id) {
    for (int i = 0; i < albums.size(); i++) {
      if (albums.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }
}
