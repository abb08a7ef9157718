package io.cadenza.edge.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.playback.Command;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.Reason;
import io.cadenza.session.SessionStore;
import io.cadenza.session.Sessions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class TimedSessionsTest {

  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private long count(String name, String... tags) {
    var timer = metrics.find(name).tags(tags).timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void commandsAreTimedByKindAndOutcomeOnceAnswered() {
    CompletableFuture<Outcome> answer = new CompletableFuture<>();
    Sessions inner =
        new Sessions() {
          @Override
          public CompletionStage<Outcome> apply(String u, Command c, OptionalLong v) {
            return answer;
          }

          @Override
          public CompletionStage<PlaybackState> state(String userId) {
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
          }
        };
    Sessions timed = TimedSessions.of(inner, metrics);

    var stage = timed.apply("u", new Command.Pause(null), OptionalLong.empty());
    assertThat(count("cadenza.session.commands", "command", "Pause")).isZero();
    answer.complete(new Outcome.Rejected(Reason.NO_ACTIVE_DEVICE, "none"));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue(answer.join());
    assertThat(count("cadenza.session.commands", "command", "Pause", "outcome", "rejected"))
        .isEqualTo(1);

    timed.state("u");
    assertThat(count("cadenza.session.commands", "command", "GetState", "outcome", "failed"))
        .isEqualTo(1);
  }

  @Test
  void storeReadsAndWritesAreTimed() {
    SessionStore inner =
        new SessionStore() {
          @Override
          public CompletionStage<Optional<PlaybackState>> load(String userId) {
            return CompletableFuture.completedFuture(Optional.empty());
          }

          @Override
          public CompletionStage<Void> save(PlaybackState state) {
            return CompletableFuture.failedFuture(new IllegalStateException("timeout"));
          }
        };
    SessionStore timed = TimedSessions.of(inner, metrics);
    timed.load("u");
    timed.save(PlaybackState.empty("u", Instant.now()));
    assertThat(count("cadenza.session.store", "operation", "load", "outcome", "ok")).isEqualTo(1);
    assertThat(count("cadenza.session.store", "operation", "save", "outcome", "failed"))
        .isEqualTo(1);
  }
}
