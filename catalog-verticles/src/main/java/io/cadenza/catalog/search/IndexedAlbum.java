package io.cadenza.catalog.search;

import java.util.List;

/**
 * An album as the search index takes it. Artist names are carried here (denormalised) because the
 * index does not join: when an artist is renamed, the feed re-sends the artist's albums.
 *
 * @param id the album's 22-character base62 id
 * @param name the album title
 * @param artistIds ids of the album's artists
 * @param artistNames names of the album's artists, searched by free text and by {@code artist:}
 * @param releaseDate {@code yyyy}, {@code yyyy-MM} or {@code yyyy-MM-dd} (Spotify's three
 *     precisions), or null when unknown; drives {@code year:} and {@code tag:new}
 * @param albumType {@code album}, {@code single} or {@code compilation}; may be null
 * @param genres genre names, matched whole by {@code genre:}
 * @param upc the album's UPC (digits), or null; matched by {@code upc:}
 * @param popularity 0 to 100, blended into the score
 */
public record IndexedAlbum(
    String id,
    String name,
    List<String> artistIds,
    List<String> artistNames,
    String releaseDate,
    String albumType,
    List<String> genres,
    String upc,
    int popularity) {

  public IndexedAlbum {
    Checks.id(id);
    Checks.name(name);
    artistIds = Checks.list(artistIds, "artistIds");
    artistNames = Checks.list(artistNames, "artistNames");
    Checks.releaseDate(releaseDate);
    genres = Checks.list(genres, "genres");
    Checks.popularity(popularity);
  }
}
