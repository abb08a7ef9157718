package io.cadenza.playback;

import java.util.List;

/** The result of applying a command: a new state and its events, or a refusal. */
public sealed interface Outcome {

  /** Applied; {@code state} is the same object when nothing changed. */
  record Accepted(PlaybackState state, List<Event> events) implements Outcome {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  /** Refused: the state is unchanged. */
  record Rejected(Reason reason, String message) implements Outcome {}
}
