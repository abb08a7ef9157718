package io.cadenza.session;

import io.cadenza.playback.PlaybackState;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where the sessions' durable states live (ScyllaDB: {@link CqlSessionStore}). */
public interface SessionStore {

  /** The user's last durable state, or empty for a user who never played. */
  CompletionStage<Optional<PlaybackState>> load(String userId);

  /** Writes the state; completes once it is durable. Never goes back to an older version. */
  CompletionStage<Void> save(PlaybackState state);
}
