package io.cadenza.config.error;

/**
 * The one exception family of Cadenza. Each kind carries the HTTP status the edge answers with; the
 * edge's failure handler turns any of them into {@code {"error":{"status":N,"message":"..."}}}.
 * Messages are shown to clients: they say what was wrong with the request, never internals.
 */
public abstract sealed class CadenzaException extends RuntimeException
    permits NotFoundException, ValidationException, ConflictException, RetriableException {
  private static final long serialVersionUID = 1L;

  protected CadenzaException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The HTTP status this failure answers with. */
  public abstract int status();

  /** Whether the same request may succeed later. */
  public boolean retriable() {
    return false;
  }
}
