package io.cadenza.playback;

import java.util.Locale;
import java.util.Optional;

/** Spotify's repeat states: {@code off}, {@code context}, {@code track}. */
public enum RepeatMode {
  OFF,
  CONTEXT,
  TRACK;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RepeatMode> parse(String state) {
    if (state == null) {
      return Optional.empty();
    }
    for (RepeatMode mode : values()) {
      if (mode.wire().equals(state.strip().toLowerCase(Locale.ROOT))) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
