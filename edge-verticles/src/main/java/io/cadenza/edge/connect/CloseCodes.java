package io.cadenza.edge.connect;

/** The close codes of the device socket (DEVICE-PROTOCOL.md), besides the standard ones. */
public final class CloseCodes {

  /** Repeated bad frames, or a frame before {@code hello} that never came. */
  public static final short PROTOCOL_ERROR = 4000;

  /** The token expired or was never valid for this socket. */
  public static final short UNAUTHORIZED = 4001;

  /** Nothing heard from the device (frames or pongs) for the silent timeout. */
  public static final short SILENT = 4002;

  /** The socket could not take the server's frames for too long. */
  public static final short TOO_SLOW = 4008;

  /** Another socket announced the same device. */
  public static final short REPLACED = 4009;

  /** The device sent frames faster than allowed for too long. */
  public static final short RATE_LIMITED = 4029;

  /** Standard: the message was larger than the server takes. */
  public static final short TOO_BIG = 1009;

  /** Standard: the server could not reach the session; try again later. */
  public static final short TRY_AGAIN_LATER = 1013;

  private CloseCodes() {}
}
