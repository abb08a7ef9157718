package io.cadenza.edge.connect;

/**
 * A frame the gateway cannot take: answered with an {@code error} frame carrying the HTTP-like
 * status, a machine-readable reason and a message, and counted toward the bad-frame limit.
 */
final class FrameException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final int status;
  private final String reason;

  FrameException(String id, int status, String reason, String message) {
    super(message, null, false, false);
    this.id = id;
    this.status = status;
    this.reason = reason;
  }

  static FrameException bad(String id, String message) {
    return new FrameException(id, 400, Frames.BAD_FRAME, message);
  }

  /** The client's command id, when the frame carried one. */
  String id() {
    return id;
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }
}
