package io.cadenza.config.error;

/** The request is malformed or breaks a rule; sending it again will not help. */
public final class ValidationException extends CadenzaException {
  private static final long serialVersionUID = 1L;

  public ValidationException(String message) {
    super(message, null);
  }

  @Override
  public int status() {
    return 400;
  }
}
