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
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The session metrics of a node, as decorators: {@code cadenza.session.commands} (a command from
 * this node's edge until its durable answer, by command and outcome) and {@code
 * cadenza.session.store} (the session store's reads and writes, by operation and outcome). Both
 * publish their 50th, 95th and 99th percentiles and a histogram.
 */
final class TimedSessions {

  private static final String COMMANDS = "cadenza.session.commands";
  private static final String STORE = "cadenza.session.store";

  /** The timers made, by name, tag and outcome: building one per call is garbage on a hot path. */
  private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

  private final MeterRegistry metrics;

  private TimedSessions(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** {@code sessions}, each call timed. */
  static Sessions of(Sessions sessions, MeterRegistry metrics) {
    TimedSessions timed = new TimedSessions(metrics);
    return new Sessions() {
      @Override
      public CompletionStage<Outcome> apply(
          String userId, Command command, OptionalLong expectedVersion) {
        return timed.time(
            () -> sessions.apply(userId, command, expectedVersion),
            COMMANDS,
            "command",
            command.getClass().getSimpleName(),
            (outcome, failure) ->
                failure != null
                    ? "failed"
                    : outcome instanceof Outcome.Accepted ? "accepted" : "rejected");
      }

      @Override
      public CompletionStage<PlaybackState> state(String userId) {
        return timed.time(
            () -> sessions.state(userId),
            COMMANDS,
            "command",
            "GetState",
            (state, failure) -> failure != null ? "failed" : "accepted");
      }
    };
  }

  /** {@code store}, each read and write timed. */
  static SessionStore of(SessionStore store, MeterRegistry metrics) {
    TimedSessions timed = new TimedSessions(metrics);
    return new SessionStore() {
      @Override
      public CompletionStage<Optional<PlaybackState>> load(String userId) {
        return timed.time(() -> store.load(userId), STORE, "operation", "load", TimedSessions::ok);
      }

      @Override
      public CompletionStage<Void> save(PlaybackState state) {
        return timed.time(() -> store.save(state), STORE, "operation", "save", TimedSessions::ok);
      }
    };
  }

  private static String ok(Object result, Throwable failure) {
    return failure != null ? "failed" : "ok";
  }

  /** Starts {@code call} and records its time once it completes, tagged with its outcome. */
  private <T> CompletionStage<T> time(
      Supplier<CompletionStage<T>> call,
      String name,
      String key,
      String value,
      BiFunction<T, Throwable, String> outcome) {
    Timer.Sample sample = Timer.start(metrics);
    return call.get()
        .whenComplete(
            (result, failure) ->
                sample.stop(
                    timers.computeIfAbsent(
                        List.of(name, key, value, outcome.apply(result, failure)),
                        k ->
                            Timer.builder(name)
                                .tag(key, value)
                                .tag("outcome", k.get(3))
                                .publishPercentiles(0.5, 0.95, 0.99)
                                .publishPercentileHistogram()
                                .register(metrics))));
  }
}
