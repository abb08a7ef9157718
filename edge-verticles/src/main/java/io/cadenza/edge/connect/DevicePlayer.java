package io.cadenza.edge.connect;

import io.cadenza.playback.Command;
import io.cadenza.playback.Event;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.Reason;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What the gateway takes from the player API, so a socket and a REST call mean the same: the
 * rendering of states and devices, the commands by name, the status of a refusal, and the listening
 * log.
 */
public interface DevicePlayer {

  /** The state object of {@code welcome} and {@code state} frames, at server time {@code now}. */
  Future<JsonObject> render(PlaybackState state, Instant now);

  /** The {@code {"devices":[...]}} object of the user's online devices. */
  JsonObject devices(PlaybackState state);

  /**
   * A command by its name and arguments (the player API's), sent from {@code deviceId}'s socket.
   */
  Future<Command> command(String name, JsonObject args, String deviceId);

  /** The HTTP-like status of a refusal. */
  int status(Reason reason);

  /** Publishes the listening events among {@code events}; completes once they are durable. */
  Future<Void> listened(List<Event> events);
}
