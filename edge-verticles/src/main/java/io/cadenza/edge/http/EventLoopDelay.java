package io.cadenza.edge.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * How late the verticle's event loop runs what is due on it: a timer every {@link #PERIOD_MS} ms
 * records how much later than asked it fired ({@code cadenza.eventloop.delay}), so a busy or
 * stalled event loop shows in the metrics (every socket and request of the verticle waits as long).
 */
final class EventLoopDelay {

  static final long PERIOD_MS = 100;

  private EventLoopDelay() {}

  /** Starts the probe on the calling verticle's event loop; returns its timer id. */
  static long start(Vertx vertx, MeterRegistry metrics) {
    Timer delay =
        Timer.builder("cadenza.eventloop.delay")
            .description("How much later than due a timer of an edge verticle's event loop ran")
            .publishPercentiles(0.5, 0.99, 0.999)
            .publishPercentileHistogram()
            .register(metrics);
    long[] due = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERIOD_MS)};
    return vertx.setPeriodic(
        PERIOD_MS,
        id -> {
          long now = System.nanoTime();
          delay.record(Math.max(0, now - due[0]), TimeUnit.NANOSECONDS);
          due[0] = now + TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
        });
  }
}
