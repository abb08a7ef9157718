package io.cadenza.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.UUID;

/**
 * One play of a track by a user: what the listening log stores, schema version {@value
 * #SCHEMA_VERSION} on the wire ({@link ListeningEventJson}). The shape of Spotify's streaming
 * history: when it started, how long it played, why it started and why it ended, whether it was
 * played offline (reported later), and the device's own clock at the report.
 *
 * @param eventId the play's id, chosen by whoever reports it: the same play reported twice carries
 *     the same id and is stored once
 * @param contextUri the playlist, album or artist it was played from; null when none
 * @param clientTimestamp the reporting device's clock when it reported the play; null if unknown
 * @param country the listener's country (ISO 3166-1 alpha-2) for the per-country charts; null if
 *     unknown
 */
public record ListeningEvent(
    UUID eventId,
    String userId,
    String trackId,
    String deviceId,
    String contextUri,
    Instant startedAt,
    long msPlayed,
    String reasonStart,
    String reasonEnd,
    boolean shuffle,
    boolean offline,
    Instant clientTimestamp,
    String country) {

  /** The version written in every event's {@code schema} field. */
  public static final int SCHEMA_VERSION = 1;

  public ListeningEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(trackId, "trackId");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(reasonStart, "reasonStart");
    Objects.requireNonNull(reasonEnd, "reasonEnd");
    if (msPlayed < 0) {
      throw new IllegalArgumentException("msPlayed must not be negative");
    }
  }

  /** When the play ended: the time the listening log orders by (Spotify's {@code played_at}). */
  public Instant playedAt() {
    return startedAt.plusMillis(msPlayed);
  }

  /** The log partition's month, {@code yyyymm} of {@link #playedAt()} in UTC. */
  public int month() {
    return monthOf(playedAt());
  }

  /** The UTC day of {@link #playedAt()}: the day whose chart counts the play. */
  public LocalDate day() {
    return dayOf(playedAt().toEpochMilli());
  }

  /** Whether the play lasted long enough to count (charts, top items, recently played). */
  public boolean counts(Duration countAfter) {
    return msPlayed >= countAfter.toMillis();
  }

  /** {@code yyyymm} of an instant in UTC. */
  public static int monthOf(Instant instant) {
    return monthOf(instant.toEpochMilli());
  }

  /** {@code yyyymm} in UTC of an instant given in epoch milliseconds. */
  public static int monthOf(long epochMilli) {
    LocalDate day = dayOf(epochMilli);
    return day.getYear() * 100 + day.getMonthValue();
  }

  /** The UTC day of an instant given in epoch milliseconds. */
  public static LocalDate dayOf(long epochMilli) {
    return LocalDate.ofEpochDay(Math.floorDiv(epochMilli, MILLIS_PER_DAY));
  }

  private static final long MILLIS_PER_DAY = Duration.ofDays(1).toMillis();
}
