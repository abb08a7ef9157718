package io.cadenza.edge.listening;

import io.cadenza.analytics.ListeningEvent;
import java.time.Instant;
import java.util.UUID;

/** Listening events for tests. */
final class Plays {

  static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");

  private Plays() {}

  /** A play of {@code trackId} ending {@code minutesAfterT0} minutes after {@link #T0}. */
  static ListeningEvent play(String trackId, long msPlayed, long minutesAfterT0) {
    Instant end = T0.plusSeconds(60 * minutesAfterT0);
    return new ListeningEvent(
        UUID.randomUUID(),
        "ada",
        trackId,
        "phone",
        null,
        end.minusMillis(msPlayed),
        msPlayed,
        "unknown",
        "trackdone",
        false,
        false,
        null,
        "SE");
  }
}
