package io.cadenza.session;

import io.cadenza.playback.Command;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * The users' live playback sessions, wherever in the cluster each one lives. The edge (REST, device
 * sockets, speakers) talks to sessions only through this.
 */
public interface Sessions {

  /**
   * Applies a command to the user's session. The stage completes once the outcome is durable: an
   * {@link Outcome.Accepted} that changed the state has been written to the session store, so a
   * node crash after the completion loses nothing. With {@code expectedVersion} present the command
   * is refused with {@link io.cadenza.playback.Reason#VERSION_CONFLICT} when the state's version is
   * another.
   *
   * <p>Fails with {@link io.cadenza.config.error.RetriableException} (503) when the session cannot
   * be reached or its store cannot be written in time; the command may or may not have applied.
   */
  CompletionStage<Outcome> apply(String userId, Command command, OptionalLong expectedVersion);

  /** The user's session as it is now (an empty one for a user who never played). */
  CompletionStage<PlaybackState> state(String userId);
}
