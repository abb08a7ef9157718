package io.cadenza.catalog.model;

import io.cadenza.config.id.Base62Id;
import java.util.List;

/**
 * An artist of the catalog.
 *
 * @param id base62 id
 * @param name as shown
 * @param genres genre names, most characteristic first (may be empty)
 * @param popularity 0 to 100, relative to the rest of the catalog
 * @param images pictures, largest first (may be empty)
 */
public record Artist(
    String id, String name, List<String> genres, int popularity, List<Image> images) {

  public Artist {
    Checks.id("artist id", id);
    Checks.name("artist name", name);
    genres = Checks.genres(genres);
    Checks.popularity(popularity);
    images = Checks.images(images);
  }

  /** {@code cadenza:artist:<id>}. */
  public String uri() {
    return Base62Id.uri(EntityType.ARTIST.wire(), id);
  }
}
