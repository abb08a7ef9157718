package io.cadenza.session;

import io.cadenza.playback.Event;
import io.cadenza.playback.PlaybackState;
import java.util.List;
import java.util.Objects;

/**
 * A durable change of a user's session as the edge publishes it on the clustered event bus: the
 * state after the change (or after several changes written together) and their events in order.
 */
public record SessionChange(PlaybackState state, List<Event> events) {
  public SessionChange {
    Objects.requireNonNull(state, "state");
    events = List.copyOf(events);
  }
}
