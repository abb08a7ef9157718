package io.cadenza.edge.connect;

import io.cadenza.playback.Event;
import io.cadenza.playback.PlaybackState;
import io.cadenza.session.SessionChange;
import io.cadenza.session.SessionListener;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Publishes each durable change of a session on the clustered event bus ({@link
 * SessionFeeds#address}), where the user's sockets and long polls, on whichever node, hear it (as
 * JSON to other nodes, as the object itself on this one: {@link SessionChangeCodec}). Publishing
 * does not block: it is safe from the session's actor.
 */
public final class EventBusSessionListener implements SessionListener {

  private final Vertx vertx;

  public EventBusSessionListener(Vertx vertx) {
    this.vertx = vertx;
    SessionChangeCodec.register(vertx);
  }

  @Override
  public void changed(PlaybackState state, List<Event> events) {
    vertx
        .eventBus()
        .publish(SessionFeeds.address(state.userId()), new SessionChange(state, events));
  }
}
