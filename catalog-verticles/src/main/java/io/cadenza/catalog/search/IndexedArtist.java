package io.cadenza.catalog.search;

import java.util.List;

/**
 * An artist as the search index takes it: the index's own input, independent of how the catalog
 * stores artists, so that whoever follows the change feed maps its records to this.
 *
 * @param id the artist's 22-character base62 id
 * @param name the display name, searched for words, prefixes and typos
 * @param genres genre names, matched whole by {@code genre:} (case and accents ignored)
 * @param popularity 0 to 100, blended into the score
 */
public record IndexedArtist(String id, String name, List<String> genres, int popularity) {

  public IndexedArtist {
    Checks.id(id);
    Checks.name(name);
    genres = Checks.list(genres, "genres");
    Checks.popularity(popularity);
  }
}
