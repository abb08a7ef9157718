package io.cadenza.edge.player;

/**
 * A player command the session refused: Spotify's player error, {@code
 * {"error":{"status":403|404,"message":"...","reason":"NO_ACTIVE_DEVICE"}}} (409 {@code
 * VERSION_CONFLICT} is Cadenza's own). Made by {@link PlayerErrors#of}; the edge's failure handler
 * writes it.
 */
public final class PlayerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  public PlayerException(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** Spotify's player error reason ({@code NO_ACTIVE_DEVICE}, ...), or null for a plain 400. */
  public String reason() {
    return reason;
  }
}
