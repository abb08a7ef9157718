package io.cadenza.catalog.api;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Image;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.Page;
import io.cadenza.catalog.store.Slice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders the catalog's records as the Spotify Web API's objects: full and simplified artists,
 * albums and tracks, and paging objects. {@code href} is the object's Web API address under the
 * node's public URL; {@code external_urls.spotify} its page address (the key is kept for client
 * compatibility). Cadenza has no market restrictions, so {@code available_markets} is always empty
 * and {@code is_playable} is left out, as Spotify does when no market is given.
 *
 * <p>A track embeds its simplified album and artists, an album its simplified artists: the caller
 * passes the related records it read (an artist it could not find is left out of the list).
 */
public final class SpotifyJson {

  private final String baseUrl;

  /**
   * @param baseUrl the edge's public URL ({@code cadenza.http.public-url}), without trailing slash
   */
  public SpotifyJson(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  // ---- artists

  /** The simplified artist object. */
  public JsonObject simplifiedArtist(Artist artist) {
    return common("artist", "artists", artist.id(), artist.uri()).put("name", artist.name());
  }

  /** The full artist object (followers are not counted yet: always 0). */
  public JsonObject artist(Artist artist) {
    return simplifiedArtist(artist)
        .put("followers", new JsonObject().putNull("href").put("total", 0))
        .put("genres", new JsonArray(List.copyOf(artist.genres())))
        .put("images", images(artist.images()))
        .put("popularity", artist.popularity());
  }

  // ---- albums

  /** The simplified album object, with its simplified artists. */
  public JsonObject simplifiedAlbum(Album album, Map<String, Artist> artists) {
    JsonObject json =
        common("album", "albums", album.id(), album.uri())
            .put("album_type", album.albumType())
            .put("total_tracks", album.totalTracks())
            .put("available_markets", new JsonArray())
            .put("images", images(album.images()))
            .put("name", album.name());
    if (album.releaseDate() == null) {
      json.putNull("release_date").putNull("release_date_precision");
    } else {
      json.put("release_date", album.releaseDate())
          .put("release_date_precision", album.releaseDatePrecision());
    }
    return json.put("artists", artists(album.artistIds(), artists));
  }

  /**
   * The full album object: the simplified one with genres, popularity, the empty lists Cadenza has
   * no data for (copyrights, external ids, label) and the first page of its tracks.
   *
   * @param tracks the first page of the album's tracks
   * @param artists the album's artists and its tracks' artists
   */
  public JsonObject album(Album album, Page<Track> tracks, Map<String, Artist> artists) {
    return simplifiedAlbum(album, artists)
        .put("tracks", albumTracks(album.id(), tracks, artists))
        .put("copyrights", new JsonArray())
        .put("external_ids", new JsonObject())
        .put("genres", new JsonArray(List.copyOf(album.genres())))
        .put("label", "")
        .put("popularity", album.popularity());
  }

  /** The paging object of an album's simplified tracks, as {@code /v1/albums/{id}/tracks}. */
  public JsonObject albumTracks(String albumId, Page<Track> tracks, Map<String, Artist> artists) {
    return page(
        baseUrl + "/v1/albums/" + albumId + "/tracks",
        tracks,
        track -> simplifiedTrack(track, artists));
  }

  // ---- tracks

  /** The simplified track object (as in an album's track list), with its simplified artists. */
  public JsonObject simplifiedTrack(Track track, Map<String, Artist> artists) {
    return new JsonObject()
        .put("artists", artists(track.artistIds(), artists))
        .put("available_markets", new JsonArray())
        .put("disc_number", track.discNumber())
        .put("duration_ms", track.durationMs())
        .put("explicit", track.explicit())
        .mergeIn(common("track", "tracks", track.id(), track.uri()))
        .put("name", track.name())
        .putNull("preview_url")
        .put("track_number", track.trackNumber())
        .put("is_local", false);
  }

  /**
   * The full track object: the simplified one with its simplified album, {@code external_ids} (the
   * ISRC when known) and popularity.
   *
   * @param artists the track's artists and its album's artists
   */
  public JsonObject track(Track track, Album album, Map<String, Artist> artists) {
    JsonObject externalIds = new JsonObject();
    if (track.isrc() != null) {
      externalIds.put("isrc", track.isrc());
    }
    return simplifiedTrack(track, artists)
        .put("album", simplifiedAlbum(album, artists))
        .put("external_ids", externalIds)
        .put("popularity", track.popularity());
  }

  // ---- paging

  /** Spotify's paging object for a list of known size. */
  public <T> JsonObject page(String href, Page<T> page, Function<T, JsonObject> render) {
    return paging(
        href,
        page.items(),
        render,
        page.offset(),
        page.limit(),
        page.hasNext(),
        (long) page.total());
  }

  /**
   * Spotify's paging object for a list whose length is not counted: {@code total} is the count up
   * to the end of this page, plus one when more follow (so a client paging by {@code next} or by
   * {@code total} keeps going).
   */
  public <T> JsonObject slice(String href, Slice<T> slice, Function<T, JsonObject> render) {
    long total = (long) slice.offset() + slice.items().size() + (slice.hasNext() ? 1 : 0);
    return paging(
        href, slice.items(), render, slice.offset(), slice.limit(), slice.hasNext(), total);
  }

  private <T> JsonObject paging(
      String href,
      List<T> items,
      Function<T, JsonObject> render,
      int offset,
      int limit,
      boolean hasNext,
      long total) {
    JsonArray rendered = new JsonArray();
    items.forEach(item -> rendered.add(render.apply(item)));
    JsonObject json =
        new JsonObject()
            .put("href", pageUrl(href, offset, limit))
            .put("items", rendered)
            .put("limit", limit)
            .put("offset", offset)
            .put("total", total);
    if (hasNext) {
      json.put("next", pageUrl(href, offset + limit, limit));
    } else {
      json.putNull("next");
    }
    if (offset > 0) {
      json.put("previous", pageUrl(href, Math.max(0, offset - limit), limit));
    } else {
      json.putNull("previous");
    }
    return json;
  }

  private static String pageUrl(String href, int offset, int limit) {
    return href + (href.contains("?") ? "&" : "?") + "offset=" + offset + "&limit=" + limit;
  }

  // ---- shared parts

  /** The base URL the objects' addresses are under. */
  public String baseUrl() {
    return baseUrl;
  }

  private JsonObject common(String type, String collection, String id, String uri) {
    return new JsonObject()
        .put("external_urls", new JsonObject().put("spotify", baseUrl + "/" + type + "/" + id))
        .put("href", baseUrl + "/v1/" + collection + "/" + id)
        .put("id", id)
        .put("type", type)
        .put("uri", uri);
  }

  private JsonArray artists(List<String> ids, Map<String, Artist> artists) {
    JsonArray json = new JsonArray();
    for (String id : ids) {
      Artist artist = artists.get(id);
      if (artist != null) {
        json.add(simplifiedArtist(artist));
      }
    }
    return json;
  }

  private static JsonArray images(List<Image> images) {
    JsonArray json = new JsonArray();
    for (Image image : images) {
      json.add(
          new JsonObject()
              .put("url", image.url())
              .put("height", image.height())
              .put("width", image.width()));
    }
    return json;
  }
}
