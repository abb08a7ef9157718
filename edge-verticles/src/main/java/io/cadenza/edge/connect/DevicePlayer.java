package io.cadenza.edge.connect;

import io.cadenza.edge.player.PlayerCommands;
import io.cadenza.edge.player.PlayerErrors;
import io.cadenza.edge.player.PlayerJson;
import io.cadenza.playback.Command;
import io.cadenza.playback.Event;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.Reason;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What the gateway takes from the player API, so that a socket and a REST call mean the same: the
 * rendering of states and devices, the commands by name, the status of a refusal, and the listening
 * log.
 */
public interface DevicePlayer {

  /** The state object of {@code welcome} and {@code state} frames, at server time {@code now}. */
  Future<JsonObject> render(PlaybackState state, Instant now);

  /** The {@code {"devices":[...]}} object of the user's online devices. */
  JsonObject devices(PlaybackState state);

  /** A command by its name and arguments (the player API's). */
  Future<Command> command(String name, JsonObject args);

  /** The HTTP-like status of a refusal. */
  int status(Reason reason);

  /** Publishes the listening events among {@code events}; completes once they are durable. */
  Future<Void> listened(List<Event> events);

  /** The player API's own pieces. */
  static DevicePlayer of(
      PlayerJson json, PlayerCommands commands, Function<List<Event>, Future<Void>> listened) {
    return new DevicePlayer() {
      @Override
      public Future<JsonObject> render(PlaybackState state, Instant now) {
        return json.playback(state, now);
      }

      @Override
      public JsonObject devices(PlaybackState state) {
        return PlayerJson.devices(state);
      }

      @Override
      public Future<Command> command(String name, JsonObject args) {
        return commands.command(name, args);
      }

      @Override
      public int status(Reason reason) {
        return PlayerErrors.status(reason);
      }

      @Override
      public Future<Void> listened(List<Event> events) {
        return listened.apply(events);
      }
    };
  }
}
