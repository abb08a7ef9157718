package io.cadenza.edge.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopDelayTest {

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aBlockedEventLoopShowsAsDelay() {
    var context = vertx.getOrCreateContext();
    context.runOnContext(v -> EventLoopDelay.start(vertx, metrics));
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> metrics.find("cadenza.eventloop.delay").timer() != null);
    var timer = metrics.find("cadenza.eventloop.delay").timer();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> timer.count() >= 2);

    context.runOnContext(
        v -> {
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        });
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> timer.max(TimeUnit.MILLISECONDS) >= 250);
  }
}
