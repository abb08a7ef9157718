package io.cadenza.analytics;

import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.type.codec.CodecNotFoundException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.event.ExecutionAttemptedEvent;
import dev.failsafe.function.CheckedSupplier;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's retries (Failsafe): exponential backoff from 100 ms to 5 s with jitter, without a
 * limit, until the attempt succeeds, fails permanently (a write ScyllaDB refuses: it goes to the
 * dead-letter topic instead) or the sink gives up at shutdown.
 */
final class Retrying {

  private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);
  private static final Duration FIRST = Duration.ofMillis(100);
  private static final Duration LONGEST = Duration.ofSeconds(5);

  /** Retried attempts are logged once in so many (and the first). */
  private static final int LOG_EVERY = 50;

  private final FailsafeExecutor<Void> writes;
  private final FailsafeExecutor<Void> sends;

  Retrying(Counter retries, BooleanSupplier abandoned) {
    writes =
        Failsafe.with(
            RetryPolicy.<Void>builder()
                .handleIf(failure -> !isPermanent(failure))
                .abortOn(failure -> abandoned.getAsBoolean())
                .withBackoff(FIRST, LONGEST)
                .withJitter(0.25)
                .withMaxRetries(-1)
                .onRetry(e -> retried(retries, "ScyllaDB write", e))
                .build());
    sends =
        Failsafe.with(
            RetryPolicy.<Void>builder()
                .handle(Throwable.class)
                .abortOn(failure -> abandoned.getAsBoolean())
                .withBackoff(FIRST, LONGEST)
                .withJitter(0.25)
                .withMaxRetries(-1)
                .onRetry(e -> retried(retries, "dead-letter send", e))
                .build());
  }

  /** A write to ScyllaDB, retried while its failures are transient. */
  CompletableFuture<Void> write(CheckedSupplier<CompletionStage<Void>> attempt) {
    return writes.getStageAsync(attempt);
  }

  /**
   * A send to Kafka, retried on every failure (the producer already retries what it can within its
   * delivery timeout; a dead letter must not be lost).
   */
  CompletableFuture<Void> send(CheckedSupplier<CompletionStage<Void>> attempt) {
    return sends.getStageAsync(attempt);
  }

  /**
   * Whether ScyllaDB refused the write for good: the statement is invalid for the schema (e.g. a
   * missing table, a value it cannot take) or cannot be bound. Timeouts, unavailable replicas and
   * lost connections are transient.
   */
  static boolean isPermanent(Throwable failure) {
    Throwable cause = unwrap(failure);
    return cause instanceof QueryValidationException
        || cause instanceof CodecNotFoundException
        || cause instanceof IllegalArgumentException;
  }

  /** The cause of the wrappers futures add. */
  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static void retried(Counter retries, String what, ExecutionAttemptedEvent<Void> e) {
    retries.increment();
    int attempt = e.getAttemptCount();
    if (attempt == 1 || attempt % LOG_EVERY == 0) {
      LOG.warn(
          "A listening sink's {} failed (attempt {}), retrying: {}",
          what,
          attempt,
          String.valueOf(unwrap(e.getLastException())));
    }
  }
}
