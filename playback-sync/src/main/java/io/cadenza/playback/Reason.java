package io.cadenza.playback;

/**
 * Why a command was refused, with the names of Spotify's player error reasons (the {@code reason}
 * of its 403 and 404 player errors).
 */
public enum Reason {
  /** No device is active and the command named none. */
  NO_ACTIVE_DEVICE,
  /** The device named is not one of the user's, or is offline. */
  DEVICE_NOT_FOUND,
  /** There is no current item to act on (nothing was ever played). */
  NO_SPECIFIC_TRACK,
  /** Previous with nothing before the current item. */
  NO_PREV_TRACK,
  /** Next with nothing after the current item. */
  NO_NEXT_TRACK,
  /** Pause while paused. */
  ALREADY_PAUSED,
  /** Resume while playing. */
  NOT_PAUSED,
  /** A report from a device that is not the active one, or about another item. */
  NOT_PLAYING_LOCALLY,
  /** A volume command to a device that does not take them. */
  VOLUME_CONTROL_DISALLOW,
  /** A command whose values are out of range (a negative position, an empty play list). */
  INVALID,
  /**
   * The command carried the version it was meant for, and the state has moved on since (a Cadenza
   * reason, for clients that must not act on a stale view).
   */
  VERSION_CONFLICT
}
