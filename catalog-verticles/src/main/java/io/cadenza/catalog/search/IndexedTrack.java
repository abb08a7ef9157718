package io.cadenza.catalog.search;

import java.util.List;

/**
 * A track as the search index takes it, denormalised with its album's and artists' names (the index
 * does not join: renaming an album or artist means re-sending its tracks).
 *
 * @param id the track's 22-character base62 id
 * @param name the track title
 * @param albumId the album's id
 * @param albumName the album title, searched by free text and by {@code album:}
 * @param artistIds ids of the track's artists
 * @param artistNames names of the track's artists, searched by free text and by {@code artist:}
 * @param releaseDate the album's release date ({@code yyyy}, {@code yyyy-MM} or {@code
 *     yyyy-MM-dd}), or null when unknown
 * @param genres genre names, matched whole by {@code genre:}
 * @param isrc the recording's ISRC, or null; matched by {@code isrc:} (case and hyphens ignored)
 * @param durationMs the duration in milliseconds
 * @param explicit whether the track has explicit lyrics
 * @param popularity 0 to 100, blended into the score
 */
public record IndexedTrack(
    String id,
    String name,
    String albumId,
    String albumName,
    List<String> artistIds,
    List<String> artistNames,
    String releaseDate,
    List<String> genres,
    String isrc,
    long durationMs,
    boolean explicit,
    int popularity) {

  public IndexedTrack {
    Checks.id(id);
    Checks.name(name);
    artistIds = Checks.list(artistIds, "artistIds");
    artistNames = Checks.list(artistNames, "artistNames");
    Checks.releaseDate(releaseDate);
    genres = Checks.list(genres, "genres");
    if (durationMs < 0) {
      throw new IllegalArgumentException("durationMs must not be negative: " + durationMs);
    }
    Checks.popularity(popularity);
  }
}
