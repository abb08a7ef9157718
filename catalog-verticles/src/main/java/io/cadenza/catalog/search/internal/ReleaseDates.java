package io.cadenza.catalog.search.internal;

import java.time.LocalDate;

/**
 * Release dates in Spotify's three precisions: {@code yyyy}, {@code yyyy-MM}, {@code yyyy-MM-dd}.
 */
public final class ReleaseDates {

  private ReleaseDates() {}

  /**
   * The first day a release date can mean: {@code 1990} is 1990-01-01, {@code 1990-05} is
   * 1990-05-01.
   *
   * @throws java.time.DateTimeException if the date does not exist
   */
  public static LocalDate firstDay(String releaseDate) {
    return switch (releaseDate.length()) {
      case 4 -> LocalDate.of(Integer.parseInt(releaseDate), 1, 1);
      case 7 ->
          LocalDate.of(
              Integer.parseInt(releaseDate.substring(0, 4)),
              Integer.parseInt(releaseDate.substring(5, 7)),
              1);
      default -> LocalDate.parse(releaseDate);
    };
  }

  /** The release year. */
  public static int year(String releaseDate) {
    return Integer.parseInt(releaseDate.substring(0, 4));
  }
}
