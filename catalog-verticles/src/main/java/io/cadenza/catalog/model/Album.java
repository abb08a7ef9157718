package io.cadenza.catalog.model;

import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An album (or single, or compilation) of the catalog.
 *
 * @param id base62 id
 * @param name title as shown
 * @param albumType {@code album}, {@code single} or {@code compilation} (Spotify's values)
 * @param artistIds the album's artists, main artist first (at least one)
 * @param releaseDate as Spotify gives it: {@code 1981}, {@code 1981-12} or {@code 1981-12-15}
 *     according to {@code releaseDatePrecision}; {@code null} when unknown
 * @param releaseDatePrecision {@code year}, {@code month} or {@code day}; {@code null} exactly when
 *     the date is unknown
 * @param totalTracks how many tracks the album has
 * @param genres genre names (the distinct genres of its tracks for imported data; may be empty)
 * @param popularity 0 to 100
 * @param images cover art, largest first (may be empty)
 */
public record Album(
    String id,
    String name,
    String albumType,
    List<String> artistIds,
    String releaseDate,
    String releaseDatePrecision,
    int totalTracks,
    List<String> genres,
    int popularity,
    List<Image> images) {

  /** Spotify's album types. */
  public static final Set<String> TYPES = Set.of("album", "single", "compilation");

  private static final Pattern YEAR = Pattern.compile("\\d{4}");
  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  public Album {
    Checks.id("album id", id);
    Checks.name("album name", name);
    if (!TYPES.contains(albumType)) {
      throw new ValidationException(
          "album_type must be album, single or compilation, not " + albumType);
    }
    artistIds = Checks.ids("album artist ids", artistIds, true);
    checkReleaseDate(releaseDate, releaseDatePrecision);
    if (totalTracks < 0 || totalTracks > 10_000) {
      throw new ValidationException("total_tracks must be 0 to 10000, not " + totalTracks);
    }
    genres = Checks.genres(genres);
    Checks.popularity(popularity);
    images = Checks.images(images);
  }

  /** {@code cadenza:album:<id>}. */
  public String uri() {
    return Base62Id.uri(EntityType.ALBUM.wire(), id);
  }

  /**
   * The first day the release date can mean ({@code 1981} → 1981-01-01), for ordering; empty when
   * the date is unknown.
   */
  public Optional<LocalDate> releaseDay() {
    if (releaseDate == null) {
      return Optional.empty();
    }
    return Optional.of(
        switch (releaseDatePrecision) {
          case "year" -> LocalDate.of(Integer.parseInt(releaseDate), 1, 1);
          case "month" -> YearMonth.parse(releaseDate).atDay(1);
          default -> LocalDate.parse(releaseDate);
        });
  }

  private static void checkReleaseDate(String date, String precision) {
    if (date == null && precision == null) {
      return;
    }
    if (date == null || precision == null) {
      throw new ValidationException(
          "release_date and release_date_precision must both be given or both be empty");
    }
    Pattern shape =
        switch (precision) {
          case "year" -> YEAR;
          case "month" -> MONTH;
          case "day" -> DAY;
          default ->
              throw new ValidationException(
                  "release_date_precision must be year, month or day, not " + precision);
        };
    if (!shape.matcher(date).matches()) {
      throw new ValidationException(
          "release_date " + date + " does not have the shape of precision " + precision);
    }
    try {
      switch (precision) {
        case "month" -> YearMonth.parse(date);
        case "day" -> LocalDate.parse(date);
        default -> {}
      }
    } catch (DateTimeException e) {
      throw new ValidationException("release_date " + date + " is not a real date");
    }
    if (Integer.parseInt(date.substring(0, 4)) < 1000) {
      throw new ValidationException("release_date " + date + " is before the year 1000");
    }
  }
}
