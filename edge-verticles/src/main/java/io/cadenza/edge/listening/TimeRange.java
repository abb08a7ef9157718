package io.cadenza.edge.listening;

import io.cadenza.config.error.ValidationException;
import java.time.Duration;
import java.util.Locale;

/** Spotify's {@code time_range} of top items: how far back the plays that rank them go. */
public enum TimeRange {
  /** About four weeks. */
  SHORT_TERM(28),
  /** About six months (Spotify's default). */
  MEDIUM_TERM(182),
  /** About a year. */
  LONG_TERM(365);

  private final Duration window;

  TimeRange(int days) {
    this.window = Duration.ofDays(days);
  }

  /** How far back from now the plays are taken. */
  public Duration window() {
    return window;
  }

  /** The parameter's value, e.g. {@code short_term}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The {@code time_range} parameter: {@link #MEDIUM_TERM} when absent, 400 when unknown. */
  public static TimeRange parse(String value) {
    if (value == null) {
      return MEDIUM_TERM;
    }
    for (TimeRange range : values()) {
      if (range.key().equals(value.strip())) {
        return range;
      }
    }
    throw new ValidationException("Invalid time range");
  }
}
