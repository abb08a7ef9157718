package io.cadenza.session;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.ConfigFactory;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.DeviceType;
import io.cadenza.playback.Event;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The entity's durability rules, on a local actor system with a store whose writes the test
 * completes by hand: answers only after the write, group commits, order, failure and recovery. (The
 * ScyllaDB store and the sharding across nodes are covered by the integration tests.)
 */
class UserSessionTest {

  /** Session settings for tests (the defaults). */
  static final CadenzaSettings.Session SETTINGS =
      new CadenzaSettings.Session(
          Duration.ofSeconds(45),
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMinutes(2),
          Duration.ofSeconds(5));

  /** Writes wait for the test to complete them. */
  static final class HeldStore implements SessionStore {
    final List<PlaybackState> saved = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
    volatile PlaybackState loaded;

    @Override
    public CompletionStage<Optional<PlaybackState>> load(String userId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(loaded));
    }

    @Override
    public CompletionStage<Void> save(PlaybackState state) {
      saved.add(state);
      CompletableFuture<Void> write = new CompletableFuture<>();
      pending.add(write);
      return write;
    }

    void completeAll() {
      for (CompletableFuture<Void> write : pending) {
        write.complete(null);
      }
    }
  }

  private final HeldStore store = new HeldStore();
  private final List<PlaybackState> told = new CopyOnWriteArrayList<>();
  private final List<Event> toldEvents = new CopyOnWriteArrayList<>();
  private ActorSystem<UserSession.Message> system;

  private void start() {
    SessionListener listener =
        (state, events) -> {
          told.add(state);
          toldEvents.addAll(events);
        };
    system =
        ActorSystem.create(
            akka.actor.typed.javadsl.Behaviors.setup(
                context ->
                    UserSession.create(
                        "u1",
                        store,
                        listener,
                        SETTINGS,
                        Clock.systemUTC(),
                        context.getSystem().ignoreRef())),
            "user-session-test",
            ConfigFactory.parseString(
                    "akka.actor.provider = local\nakka.loglevel = WARNING\n"
                        + "akka.log-dead-letters = off")
                .withFallback(ConfigFactory.defaultReference()));
  }

  @AfterEach
  void stop() {
    if (system != null) {
      system.terminate();
    }
  }

  private CompletableFuture<UserSession.Reply> apply(Command command, Long expectedVersion) {
    return AskPattern.<UserSession.Message, UserSession.Reply>ask(
            system,
            (ActorRef<UserSession.Reply> replyTo) ->
                new UserSession.Apply(command, expectedVersion, replyTo),
            Duration.ofSeconds(10),
            system.scheduler())
        .toCompletableFuture();
  }

  private static Command connect(String id) {
    return new Command.Connect(
        new Device(id, "Device " + id, DeviceType.SMARTPHONE, 50, true, true, Instant.now()));
  }

  private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition);
  }

  /** The future stays pending for a while (what is awaited must not happen yet). */
  private static void staysPending(CompletableFuture<?> future) {
    Awaitility.await()
        .during(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !future.isDone());
  }

  @Test
  void aCommandIsAnsweredOnlyOnceItsChangeIsWritten() throws Exception {
    start();
    CompletableFuture<UserSession.Reply> reply = apply(connect("phone"), null);
    awaitTrue(() -> store.saved.size() == 1);
    staysPending(reply);
    assertThat(told).isEmpty();

    store.completeAll();
    Outcome outcome = reply.get(5, TimeUnit.SECONDS).outcome();
    assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
    assertThat(((Outcome.Accepted) outcome).state().version()).isEqualTo(1);
    awaitTrue(() -> told.size() == 1);
    assertThat(told.get(0).version()).isEqualTo(1);
    assertThat(toldEvents).contains(new Event.StateChanged(1));
  }

  @Test
  void commandsDuringAWriteAreWrittenTogetherAndAnsweredInOrder() throws Exception {
    start();
    CompletableFuture<UserSession.Reply> first = apply(connect("d-first"), null);
    awaitTrue(() -> store.saved.size() == 1);
    List<CompletableFuture<UserSession.Reply>> burst = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      burst.add(apply(connect("d" + i), null));
    }
    // While the first write is in flight nothing else is written, and nothing answered.
    staysPending(burst.get(burst.size() - 1));
    assertThat(store.saved).hasSize(1);
    assertThat(burst).noneMatch(CompletableFuture::isDone);

    store.completeAll();
    first.get(5, TimeUnit.SECONDS);
    // The burst goes out as one more write of the newest state.
    awaitTrue(() -> store.saved.size() == 2);
    assertThat(store.saved.get(1).version()).isEqualTo(301);
    staysPending(burst.get(0));
    assertThat(burst).noneMatch(CompletableFuture::isDone);
    store.completeAll();
    // Each command was applied in the order sent, each answered with its own outcome.
    for (int i = 0; i < burst.size(); i++) {
      Outcome outcome = burst.get(i).get(5, TimeUnit.SECONDS).outcome();
      assertThat(((Outcome.Accepted) outcome).state().version()).isEqualTo(i + 2);
    }
    assertThat(store.saved).hasSize(2);
    // The devices were told of both written states, with every change's event in order.
    awaitTrue(() -> told.size() == 2);
    assertThat(told.get(1).version()).isEqualTo(301);
    List<Long> versions =
        toldEvents.stream()
            .filter(Event.StateChanged.class::isInstance)
            .map(e -> ((Event.StateChanged) e).version())
            .toList();
    assertThat(versions).hasSize(301).isSorted();
  }

  @Test
  void aRefusalWaitsForTheWriteOfTheChangesBeforeIt() throws Exception {
    start();
    CompletableFuture<UserSession.Reply> change = apply(connect("phone"), null);
    awaitTrue(() -> store.saved.size() == 1);
    CompletableFuture<UserSession.Reply> stale = apply(connect("laptop"), 0L);
    staysPending(stale);
    store.completeAll();
    change.get(5, TimeUnit.SECONDS);
    Outcome refused = stale.get(5, TimeUnit.SECONDS).outcome();
    assertThat(refused).isInstanceOf(Outcome.Rejected.class);
    assertThat(((Outcome.Rejected) refused).reason()).isEqualTo(Reason.VERSION_CONFLICT);
    // The refusal changed nothing and wrote nothing.
    assertThat(store.saved).hasSize(1);
  }

  @Test
  void aFailedWriteFailsItsCommandsAndIsRetried() throws Exception {
    start();
    CompletableFuture<UserSession.Reply> reply = apply(connect("phone"), null);
    awaitTrue(() -> store.saved.size() == 1);
    store.pending.get(0).completeExceptionally(new RuntimeException("write timed out"));
    UserSession.Reply failed = reply.get(5, TimeUnit.SECONDS);
    assertThat(failed.outcome()).isNull();
    assertThat(failed.failure()).isNotBlank();
    assertThat(told).isEmpty();
    // The change stays in the session and is written again; then the devices hear of it.
    awaitTrue(() -> store.saved.size() == 2);
    assertThat(store.saved.get(1).version()).isEqualTo(1);
    store.pending.get(1).complete(null);
    awaitTrue(() -> told.size() == 1);
  }

  @Test
  void aRestoredSessionGoesOnFromItsVersionAndKeepsItsDevicesOnline() throws Exception {
    Instant longAgo = Instant.now().minus(Duration.ofHours(1));
    PlaybackState before =
        (((Outcome.Accepted)
                io.cadenza.playback.PlaybackSession.apply(
                    PlaybackState.empty("u1", longAgo), connect("phone"), longAgo))
            .state());
    store.loaded = before;
    start();
    CompletableFuture<UserSession.Reply> state =
        AskPattern.<UserSession.Message, UserSession.Reply>ask(
                system, UserSession.GetState::new, Duration.ofSeconds(5), system.scheduler())
            .toCompletableFuture();
    PlaybackState restored = state.get(5, TimeUnit.SECONDS).state();
    assertThat(restored.version()).isEqualTo(before.version());
    // An hour-old last-seen would time the device out at the first tick; restored, it is now.
    assertThat(restored.devices().get(0).lastSeen()).isAfter(longAgo.plusSeconds(3000));
    CompletableFuture<UserSession.Reply> next = apply(connect("laptop"), before.version());
    awaitTrue(() -> store.saved.size() == 1);
    store.completeAll();
    Outcome outcome = next.get(5, TimeUnit.SECONDS).outcome();
    assertThat(((Outcome.Accepted) outcome).state().version()).isEqualTo(before.version() + 1);
  }
}
