package io.cadenza.analytics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 *     the same id and is stored once. Any UUID is taken; Cadenza's own are {@linkplain
 *     #timeOrderedId(long, String) time-ordered}, which the chart table stores more cheaply
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

  /**
   * A time-ordered, name-based event id: {@code epochMilli} (when the play ended) in the first 48
   * bits, as in a version 7 UUID (RFC 9562), and 74 bits of the SHA-256 of {@code name} in the
   * rest, marked version 8 (RFC 9562's custom layout, as its bits are not random). The same play
   * named the same way gets the same id; plays that end later get larger ids, so the chart table,
   * ordered by event id within a day, takes a day's live plays by appending to its partitions
   * rather than inserting all over them (see {@code V007__listening.cql}).
   */
  public static UUID timeOrderedId(long epochMilli, String name) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    ByteBuffer hash = ByteBuffer.wrap(sha256.digest(name.getBytes(StandardCharsets.UTF_8)));
    return timeOrderedId(epochMilli, hash.getLong(), hash.getLong());
  }

  /**
   * The layout of {@link #timeOrderedId(long, String)} with given bits: {@code epochMilli} in the
   * first 48 bits, version 8, the low 12 bits of {@code high}, the IETF variant and the low 62 bits
   * of {@code low}.
   */
  public static UUID timeOrderedId(long epochMilli, long high, long low) {
    if (epochMilli < 0 || epochMilli >= 1L << 48) {
      throw new IllegalArgumentException("epochMilli out of the 48 bits: " + epochMilli);
    }
    long msb = epochMilli << 16 | 0x8000L | (high & 0xFFFL);
    long lsb = low & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  private static final long MILLIS_PER_DAY = Duration.ofDays(1).toMillis();
}
