package io.cadenza.edge.connect;

import io.cadenza.session.SessionChange;
import io.cadenza.session.SessionJson;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Session changes on the event bus: as JSON ({@link SessionJson}) to other nodes, and as the
 * (immutable) object itself to this node's consumers, so a change is not read back once per
 * consumer of the node that published it.
 */
final class SessionChangeCodec implements MessageCodec<SessionChange, SessionChange> {

  private static final String NAME = "cadenza-session-change";

  /** Makes it the default codec of {@link SessionChange} on this Vert.x, once. */
  static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(SessionChange.class, new SessionChangeCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another verticle of this node did it first.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, SessionChange change) {
    byte[] json = SessionJson.writeChange(change.state(), change.events());
    buffer.appendInt(json.length).appendBytes(json);
  }

  @Override
  public SessionChange decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return SessionJson.readChange(buffer.getBytes(pos + 4, pos + 4 + length));
  }

  @Override
  public SessionChange transform(SessionChange change) {
    return change;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
