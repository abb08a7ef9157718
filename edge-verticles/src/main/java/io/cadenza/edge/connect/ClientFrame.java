package io.cadenza.edge.connect;

import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.vertx.core.json.JsonObject;
import java.util.OptionalLong;

/** A frame a device sends on its socket, parsed and checked by {@link Frames#parse}. */
sealed interface ClientFrame {

  /** The device announces itself; the first frame of a socket. */
  record Hello(Device device) implements ClientFrame {}

  /** A player command with the client's own id, echoed in the ack or error. */
  record CommandFrame(String id, String name, JsonObject args, OptionalLong expectedVersion)
      implements ClientFrame {}

  /** What the active device reports of its playing. */
  record Report(String id, String itemId, Command.ReportKind kind, long positionMs)
      implements ClientFrame {}

  /** The first half of a time-sync exchange: the client's clock at send. */
  record TimeSync(double t0) implements ClientFrame {}
}
