package io.cadenza.session;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.DeviceType;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardedSessions} on a one-node cluster (loopback, any port) with a store whose writes the
 * test lets through: an answer reaches the caller on the thread of the session system, not on a
 * thread of the JDK's default executor (a new thread per answer on small machines).
 */
class ShardedSessionsTest {

  private static ActorSystem<Void> system;
  private static ShardedSessions sessions;

  /** Writes wait for this, so that the test is listening before an answer can come. */
  private static volatile CompletableFuture<Void> writes = new CompletableFuture<>();

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "sharded-sessions-test",
            ConfigFactory.parseString(
                    """
                    akka.actor.provider = cluster
                    akka.remote.artery.canonical.hostname = 127.0.0.1
                    akka.remote.artery.canonical.port = 0
                    akka.cluster.jmx.enabled = off
                    akka.loglevel = WARNING
                    akka.log-dead-letters = off
                    """)
                .withFallback(ConfigFactory.defaultReference()));
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    SessionStore immediate =
        new SessionStore() {
          @Override
          public CompletionStage<Optional<PlaybackState>> load(String userId) {
            return CompletableFuture.completedFuture(Optional.empty());
          }

          @Override
          public CompletionStage<Void> save(PlaybackState state) {
            return writes;
          }
        };
    sessions =
        ShardedSessions.start(
            system, immediate, (state, events) -> {}, UserSessionTest.SETTINGS, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.terminate();
    }
  }

  @Test
  void answersArriveOnTheSessionSystemsThreadsNotOnesOfTheDefaultExecutor() throws Exception {
    for (int i = 0; i < 3; i++) {
      writes = new CompletableFuture<>();
      CountDownLatch answered = new CountDownLatch(1);
      AtomicReference<String> thread = new AtomicReference<>();
      AtomicReference<Outcome> outcome = new AtomicReference<>();
      // A dependent stage without an executor runs on the thread that completes the answer; the
      // answer cannot come before the write is let through, after this is attached.
      sessions
          .apply("user-" + i, connect("phone-" + i), OptionalLong.empty())
          .thenAccept(
              o -> {
                thread.set(Thread.currentThread().getName());
                outcome.set(o);
                answered.countDown();
              });
      writes.complete(null);
      assertThat(answered.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(outcome.get()).isInstanceOf(Outcome.Accepted.class);
      assertThat(thread.get())
          .as("the thread that completed the answer")
          .startsWith("sharded-sessions-test-");
    }
  }

  private static Command connect(String id) {
    return new Command.Connect(
        new Device(id, "Device " + id, DeviceType.SMARTPHONE, 50, true, true, Instant.now()));
  }
}
