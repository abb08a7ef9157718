package io.cadenza.config.error;

/** The request conflicts with the current state (a version moved on, a name is taken). */
public final class ConflictException extends CadenzaException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message, null);
  }

  @Override
  public int status() {
    return 409;
  }
}
