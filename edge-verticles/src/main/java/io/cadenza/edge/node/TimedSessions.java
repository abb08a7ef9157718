package io.cadenza.edge.node;

import io.cadenza.playback.Command;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import io.cadenza.session.SessionStore;
import io.cadenza.session.Sessions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session metrics of a node, as decorators: {@code cadenza.session.commands} (a command from
 * this node's edge until its durable answer, by command and outcome) and {@code
 * cadenza.session.store} (the session store's reads and writes, by operation and outcome). Both
 * publish their 50th, 95th and 99th percentiles and a histogram.
 */
final class TimedSessions {

  private TimedSessions() {}

  /** {@code sessions}, each call timed. */
  static Sessions of(Sessions sessions, MeterRegistry metrics) {
    Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
    return new Sessions() {
      @Override
      public CompletionStage<Outcome> apply(
          String userId, Command command, OptionalLong expectedVersion) {
        Timer.Sample sample = Timer.start(metrics);
        return sessions
            .apply(userId, command, expectedVersion)
            .whenComplete(
                (outcome, failure) ->
                    sample.stop(
                        timer(
                            timers,
                            metrics,
                            "cadenza.session.commands",
                            "command",
                            command.getClass().getSimpleName(),
                            failure != null
                                ? "failed"
                                : outcome instanceof Outcome.Accepted ? "accepted" : "rejected")));
      }

      @Override
      public CompletionStage<PlaybackState> state(String userId) {
        Timer.Sample sample = Timer.start(metrics);
        return sessions
            .state(userId)
            .whenComplete(
                (state, failure) ->
                    sample.stop(
                        timer(
                            timers,
                            metrics,
                            "cadenza.session.commands",
                            "command",
                            "GetState",
                            failure != null ? "failed" : "accepted")));
      }
    };
  }

  /** {@code store}, each read and write timed. */
  static SessionStore of(SessionStore store, MeterRegistry metrics) {
    Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
    return new SessionStore() {
      @Override
      public CompletionStage<Optional<PlaybackState>> load(String userId) {
        Timer.Sample sample = Timer.start(metrics);
        return store
            .load(userId)
            .whenComplete(
                (state, failure) ->
                    sample.stop(
                        timer(
                            timers,
                            metrics,
                            "cadenza.session.store",
                            "operation",
                            "load",
                            failure != null ? "failed" : "ok")));
      }

      @Override
      public CompletionStage<Void> save(PlaybackState state) {
        Timer.Sample sample = Timer.start(metrics);
        return store
            .save(state)
            .whenComplete(
                (ok, failure) ->
                    sample.stop(
                        timer(
                            timers,
                            metrics,
                            "cadenza.session.store",
                            "operation",
                            "save",
                            failure != null ? "failed" : "ok")));
      }
    };
  }

  /**
   * The timer of a name, tag and outcome, made once per decorator ({@code timers}): building one
   * per call is garbage on a hot path.
   */
  private static Timer timer(
      Map<List<String>, Timer> timers,
      MeterRegistry metrics,
      String name,
      String key,
      String value,
      String outcome) {
    return timers.computeIfAbsent(
        List.of(name, key, value, outcome),
        k ->
            Timer.builder(name)
                .tag(key, value)
                .tag("outcome", outcome)
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(metrics));
  }
}
