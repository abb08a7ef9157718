package io.cadenza.playback;

import java.time.Instant;

/** What applying a command tells the world (devices, the listening log). */
public sealed interface Event {

  /** The visible state changed; devices get the new state with its version. */
  record StateChanged(long version) implements Event {}

  /** A device that was playing must stop: playback went to another device. */
  record StopPlaying(String deviceId, long version) implements Event {}

  /** The transfer's target confirmed by reporting. */
  record TransferConfirmed(String deviceId, long version) implements Event {}

  /** The transfer's target did not confirm in time. */
  record TransferUnconfirmed(String deviceId, Instant requestedAt, long version) implements Event {}

  /** A report of the active device, for the listening log ({@code listening-events}). */
  record Listened(
      String userId,
      String deviceId,
      String itemId,
      String uri,
      String contextUri,
      Command.ReportKind kind,
      long positionMs,
      long durationMs,
      Instant at)
      implements Event {}
}
