package io.cadenza.config.error;

import java.time.Duration;

/**
 * A dependency is busy or unreachable; the same request may succeed later. 503 by default (a
 * timeout toward the session cluster), 429 when a bounded resource is saturated (transcoding).
 */
public final class RetriableException extends CadenzaException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final Duration retryAfter;

  public RetriableException(String message, int status, Duration retryAfter, Throwable cause) {
    super(message, cause);
    if (status != 429 && status != 503) {
      throw new IllegalArgumentException("a retriable failure answers 429 or 503, not " + status);
    }
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public static RetriableException unavailable(String message, Throwable cause) {
    return new RetriableException(message, 503, Duration.ofSeconds(1), cause);
  }

  public static RetriableException saturated(String message, Duration retryAfter) {
    return new RetriableException(message, 429, retryAfter, null);
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public boolean retriable() {
    return true;
  }

  /** When to try again, for the {@code Retry-After} header. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
