package io.cadenza.session;

import io.cadenza.playback.Event;
import io.cadenza.playback.PlaybackState;
import java.util.List;

/**
 * Told of every durable change of a session, on the node that holds the session, so that it can
 * push the change to the user's devices wherever their sockets are (the edge publishes it on the
 * clustered event bus). Called from the session's actor: it must not block.
 */
@FunctionalInterface
public interface SessionListener {

  /**
   * The session's state after one or more changes, and their events in order. States are whole:
   * when several changes are written together, only the last state is told, with all their events.
   */
  void changed(PlaybackState state, List<Event> events);
}
