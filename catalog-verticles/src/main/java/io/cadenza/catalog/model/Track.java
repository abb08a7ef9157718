package io.cadenza.catalog.model;

import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A track of the catalog. What media-store recorded of its audio (renditions, loudness) is not part
 * of the track: it lives in media-store's {@code media} table and is read with {@code
 * CatalogRepository.media}.
 *
 * @param id base62 id
 * @param name title as shown
 * @param albumId the album it is on
 * @param artistIds the performing artists, main artist first (at least one)
 * @param discNumber 1 unless the album has several discs
 * @param trackNumber position on its disc, from 1
 * @param durationMs length in milliseconds
 * @param explicit whether it has explicit lyrics ({@code false} also when unknown, as Spotify)
 * @param isrc the International Standard Recording Code: country (2 letters), registrant (3 letters
 *     or digits), year (2 digits) and designation (5 digits), without hyphens, e.g. {@code
 *     USRC17607839}; {@code null} when unknown
 * @param genres genre names (may be empty)
 * @param popularity 0 to 100
 */
public record Track(
    String id,
    String name,
    String albumId,
    List<String> artistIds,
    int discNumber,
    int trackNumber,
    int durationMs,
    boolean explicit,
    String isrc,
    List<String> genres,
    int popularity) {

  /** Country (2 letters), registrant (3 letters or digits), year (2 digits), designation (5). */
  public static final Pattern ISRC = Pattern.compile("[A-Z]{2}[A-Z0-9]{3}\\d{7}");

  public Track {
    Checks.id("track id", id);
    Checks.name("track name", name);
    Checks.id("track album id", albumId);
    artistIds = Checks.ids("track artist ids", artistIds, true);
    if (discNumber < 1 || discNumber > 999) {
      throw new ValidationException("disc_number must be 1 to 999, not " + discNumber);
    }
    if (trackNumber < 1 || trackNumber > 9999) {
      throw new ValidationException("track_number must be 1 to 9999, not " + trackNumber);
    }
    if (durationMs <= 0) {
      throw new ValidationException("duration_ms must be positive, not " + durationMs);
    }
    if (isrc != null && !ISRC.matcher(isrc).matches()) {
      throw new ValidationException("isrc must look like USRC17607839, not " + isrc);
    }
    genres = Checks.genres(genres);
    Checks.popularity(popularity);
  }

  /** {@code cadenza:track:<id>}. */
  public String uri() {
    return Base62Id.uri(EntityType.TRACK.wire(), id);
  }
}
