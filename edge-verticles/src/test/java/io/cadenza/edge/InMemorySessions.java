package io.cadenza.edge;

import io.cadenza.edge.connect.EventBusSessionListener;
import io.cadenza.edge.connect.SessionFeeds;
import io.cadenza.playback.Command;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackSession;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.Reason;
import io.cadenza.session.Sessions;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the session cluster for unit tests of the edge: each user's state in a map,
 * commands applied with {@link PlaybackSession#apply}, and every visible change published on the
 * event bus address the edge's {@link SessionFeeds} listen on, as the cluster does.
 */
public final class InMemorySessions implements Sessions {

  private final EventBusSessionListener listener;
  private final Clock clock;
  private final Map<String, PlaybackState> states = new ConcurrentHashMap<>();

  /** How many commands were applied (accepted or not), to tell that a refused request sent none. */
  public final AtomicInteger applied = new AtomicInteger();

  public InMemorySessions(Vertx vertx, Clock clock) {
    this.listener = new EventBusSessionListener(vertx);
    this.clock = clock;
  }

  @Override
  public synchronized CompletionStage<Outcome> apply(
      String userId, Command command, OptionalLong expectedVersion) {
    applied.incrementAndGet();
    PlaybackState before = current(userId);
    if (expectedVersion.isPresent() && expectedVersion.getAsLong() != before.version()) {
      return CompletableFuture.completedFuture(
          new Outcome.Rejected(Reason.VERSION_CONFLICT, "The state is at " + before.version()));
    }
    Outcome outcome = PlaybackSession.apply(before, command, clock.instant());
    if (outcome instanceof Outcome.Accepted accepted) {
      states.put(userId, accepted.state());
      if (accepted.state().version() != before.version()) {
        listener.changed(accepted.state(), accepted.events());
      }
    }
    return CompletableFuture.completedFuture(outcome);
  }

  @Override
  public CompletionStage<PlaybackState> state(String userId) {
    return CompletableFuture.completedFuture(current(userId));
  }

  /** The user's state now. */
  public PlaybackState current(String userId) {
    return states.computeIfAbsent(userId, id -> PlaybackState.empty(id, clock.instant()));
  }
}
