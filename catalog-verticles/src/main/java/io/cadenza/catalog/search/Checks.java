package io.cadenza.catalog.search;

import io.cadenza.catalog.search.internal.ReleaseDates;
import io.cadenza.config.id.Base62Id;
import java.time.DateTimeException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Preconditions of the index's input records. They guard against a faulty feed mapping (a bug), so
 * they throw {@link IllegalArgumentException}, not a client-facing validation error.
 */
final class Checks {

  private static final Pattern RELEASE_DATE = Pattern.compile("\\d{4}(-\\d{2}(-\\d{2})?)?");

  private Checks() {}

  static void id(String id) {
    if (!Base62Id.isValid(id)) {
      throw new IllegalArgumentException("not a 22-character base62 id: " + id);
    }
  }

  static void name(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a name is required");
    }
  }

  static void popularity(int popularity) {
    if (popularity < 0 || popularity > 100) {
      throw new IllegalArgumentException("popularity must be 0 to 100: " + popularity);
    }
  }

  static List<String> list(List<String> values, String what) {
    if (values == null) {
      return List.of();
    }
    for (String value : values) {
      Objects.requireNonNull(value, () -> what + " must not contain null");
    }
    return List.copyOf(values);
  }

  static void releaseDate(String releaseDate) {
    if (releaseDate == null) {
      return;
    }
    if (!RELEASE_DATE.matcher(releaseDate).matches()) {
      throw new IllegalArgumentException(
          "releaseDate must be yyyy, yyyy-MM or yyyy-MM-dd: " + releaseDate);
    }
    try {
      ReleaseDates.firstDay(releaseDate);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("releaseDate is not a calendar date: " + releaseDate, e);
    }
  }
}
