package io.cadenza.config.error;

/** A thing the request names does not exist. */
public final class NotFoundException extends CadenzaException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message, null);
  }

  @Override
  public int status() {
    return 404;
  }
}
