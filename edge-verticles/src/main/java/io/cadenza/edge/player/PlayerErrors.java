package io.cadenza.edge.player;

import io.cadenza.playback.Outcome;
import io.cadenza.playback.Reason;
import io.vertx.core.json.JsonObject;

/**
 * The one mapping of a refused player command to its HTTP error, as Spotify answers them: no active
 * device and an unknown device are 404 ({@code NO_ACTIVE_DEVICE}, {@code DEVICE_NOT_FOUND}); a
 * command the player's state does not allow (nothing after the last track, pause while paused, ...)
 * is 403 with its reason; a value out of range is 400; a stale {@code expected_version} is 409
 * {@code VERSION_CONFLICT} (Cadenza's own).
 */
public final class PlayerErrors {

  private PlayerErrors() {}

  /** The HTTP status of a refusal. */
  public static int status(Reason reason) {
    return switch (reason) {
      case NO_ACTIVE_DEVICE, DEVICE_NOT_FOUND -> 404;
      case NO_SPECIFIC_TRACK,
          NO_PREV_TRACK,
          NO_NEXT_TRACK,
          ALREADY_PAUSED,
          NOT_PAUSED,
          NOT_PLAYING_LOCALLY,
          VOLUME_CONTROL_DISALLOW ->
          403;
      case INVALID -> 400;
      case VERSION_CONFLICT -> 409;
    };
  }

  /** The exception to fail a request with; a 400 carries no reason, as Spotify's do not. */
  public static PlayerException of(Outcome.Rejected rejected) {
    int status = status(rejected.reason());
    return new PlayerException(
        status, status == 400 ? null : rejected.reason().name(), rejected.message());
  }

  /** The error object of a refusal: {@code {"error":{"status","message","reason"?}}}. */
  public static JsonObject body(PlayerException e) {
    JsonObject error = new JsonObject().put("status", e.status()).put("message", e.getMessage());
    if (e.reason() != null) {
      error.put("reason", e.reason());
    }
    return new JsonObject().put("error", error);
  }
}
