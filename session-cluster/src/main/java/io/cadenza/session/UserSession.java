package io.cadenza.session;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.playback.Command;
import io.cadenza.playback.Event;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackSession;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One user's live playback session: a sharded entity (id = user id) that applies the playback-sync
 * domain to the session's state, one command at a time.
 *
 * <p><b>Durability.</b> A command is answered only once its change is written to the {@link
 * SessionStore}, so a crash after the answer loses nothing. Writes are group commits: one write in
 * flight at a time; the changes made while it is in flight go out together in the next one, as the
 * newest state (so a burst of commands costs a few writes, not one each, and the delay of a write
 * is bounded by the store's latency). Changes devices cannot see (heartbeats, which move only a
 * device's last-seen time and keep the version) are not written on their own. A refused command is
 * answered after the writes of the changes before it, so answers keep the commands' order.
 *
 * <p><b>Devices.</b> The {@link SessionListener} is told of each written state and the events of
 * its changes, in order; it pushes them to the user's devices.
 *
 * <p><b>Life.</b> On start the entity loads the last durable state (commands wait, stashed); a
 * failed load is retried. Every {@code tick-interval} it applies {@link Command.Tick} (device and
 * transfer timeouts) and, after {@code passivate-after} without a message from outside, asks its
 * shard to passivate it. Stopping (passivation, rebalance, the node's shutdown) first finishes the
 * pending write.
 */
public final class UserSession extends AbstractBehavior<UserSession.Message> {

  public static final EntityTypeKey<Message> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Message.class, "UserSession");

  /** Messages of the entity. */
  public interface Message {}

  /**
   * Applies a command; with {@code expectedVersion} not null, only to a state of that version.
   * Answered with a {@link Reply} carrying the outcome once it is durable, or a failure.
   */
  public record Apply(Command command, Long expectedVersion, ActorRef<Reply> replyTo)
      implements Message, CborSerializable {}

  /** Asks for the session's last durable state; answered with a {@link Reply} carrying it. */
  public record GetState(ActorRef<Reply> replyTo) implements Message, CborSerializable {}

  /**
   * An answer: the command's outcome, or the state asked for, or why neither could be had (the
   * store failed; the command may or may not have applied).
   */
  public record Reply(Outcome outcome, PlaybackState state, String failure)
      implements CborSerializable {}

  /** Sent by the shard when the entity is to stop (passivation, hand-off). */
  public record Stop() implements Message, CborSerializable {}

  private record Loaded(Optional<PlaybackState> state, Throwable failure) implements Message {}

  private record Written(PlaybackState state, long seq, Throwable failure) implements Message {}

  private enum Timer implements Message {
    TICK,
    RETRY_LOAD,
    RETRY_WRITE
  }

  /** Commands waiting for a stashed start. */
  static final int STASH_CAPACITY = 10_000;

  private static final Duration RETRY_DELAY = Duration.ofMillis(500);

  /** An answer waiting for the write of the changes made before it. */
  private record Waiting(long needs, ActorRef<Reply> replyTo, Outcome outcome) {}

  /** An event waiting to be told with the written state that contains its change. */
  private record PendingEvent(long seq, Event event) {}

  private final String userId;
  private final SessionStore store;
  private final SessionListener listener;
  private final CadenzaSettings.Session settings;
  private final Clock clock;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final StashBuffer<Message> stash;
  private final TimerScheduler<Message> timers;

  /** The state, with every change applied (written or not); null while loading. */
  private PlaybackState state;

  /** The last state written (or loaded): what {@link GetState} answers. */
  private PlaybackState durable;

  /** Counts the changes a device can see; a write covers those up to its {@code seq}. */
  private long changeSeq;

  private long durableSeq;
  private boolean writing;
  private boolean stopping;
  private boolean passivating;
  private Instant lastOutside;
  private final List<Waiting> waiting = new ArrayList<>();
  private final List<PendingEvent> events = new ArrayList<>();

  private UserSession(
      ActorContext<Message> context,
      String userId,
      SessionStore store,
      SessionListener listener,
      CadenzaSettings.Session settings,
      Clock clock,
      ActorRef<ClusterSharding.ShardCommand> shard,
      StashBuffer<Message> stash,
      TimerScheduler<Message> timers) {
    super(context);
    this.userId = userId;
    this.store = store;
    this.listener = listener;
    this.settings = settings;
    this.clock = clock;
    this.shard = shard;
    this.stash = stash;
    this.timers = timers;
    this.lastOutside = clock.instant();
  }

  /** The entity of {@code userId}, passivated through {@code shard}. */
  public static Behavior<Message> create(
      String userId,
      SessionStore store,
      SessionListener listener,
      CadenzaSettings.Session settings,
      Clock clock,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.withStash(
        STASH_CAPACITY,
        stash ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.setup(
                        context -> {
                          UserSession session =
                              new UserSession(
                                  context, userId, store, listener, settings, clock, shard, stash,
                                  timers);
                          session.load();
                          return session;
                        })));
  }

  @Override
  public Receive<Message> createReceive() {
    return newReceiveBuilder()
        .onMessage(Loaded.class, this::onLoaded)
        .onMessage(Apply.class, this::onApply)
        .onMessage(GetState.class, this::onGetState)
        .onMessage(Written.class, this::onWritten)
        .onMessage(Stop.class, stop -> onStop())
        .onMessageEquals(Timer.TICK, this::onTick)
        .onMessageEquals(Timer.RETRY_LOAD, this::onRetryLoad)
        .onMessageEquals(Timer.RETRY_WRITE, this::onRetryWrite)
        .build();
  }

  // ---- start

  private void load() {
    getContext().pipeToSelf(store.load(userId), (loaded, failure) -> new Loaded(loaded, failure));
  }

  private Behavior<Message> onLoaded(Loaded loaded) {
    if (loaded.failure() != null) {
      getContext()
          .getLog()
          .warn(
              "Loading the session of user {} failed, retrying: {}",
              userId,
              loaded.failure().toString());
      timers.startSingleTimer(Timer.RETRY_LOAD, RETRY_DELAY);
      return this;
    }
    Instant now = clock.instant();
    state =
        loaded
            .state()
            .map(s -> s.restoredAt(now))
            .orElseGet(() -> PlaybackState.empty(userId, now));
    durable = state;
    timers.startTimerWithFixedDelay(Timer.TICK, settings.tickInterval());
    return stash.unstashAll(this);
  }

  private Behavior<Message> onRetryLoad() {
    load();
    return this;
  }

  // ---- commands

  private Behavior<Message> onApply(Apply apply) {
    if (state == null) {
      return stashOrRefuse(apply, apply.replyTo());
    }
    lastOutside = clock.instant();
    passivating = false;
    Outcome outcome;
    if (apply.expectedVersion() != null && apply.expectedVersion() != state.version()) {
      outcome =
          new Outcome.Rejected(
              Reason.VERSION_CONFLICT,
              "The playback state is at version "
                  + state.version()
                  + ", not "
                  + apply.expectedVersion());
    } else {
      try {
        outcome = PlaybackSession.apply(state, apply.command(), clock.instant());
      } catch (RuntimeException e) {
        // A command the domain cannot take (a bug or a value the edge let through): refused, and
        // the session goes on.
        getContext().getLog().warn("User {}: command {} failed", userId, apply.command(), e);
        outcome = new Outcome.Rejected(Reason.INVALID, "The command could not be applied");
      }
      if (outcome instanceof Outcome.Accepted accepted) {
        change(accepted);
      }
    }
    waiting.add(new Waiting(changeSeq, apply.replyTo(), outcome));
    answerDurable();
    writeIfNeeded();
    return this;
  }

  private Behavior<Message> onGetState(GetState get) {
    if (state == null) {
      return stashOrRefuse(get, get.replyTo());
    }
    get.replyTo().tell(new Reply(null, durable, null));
    return this;
  }

  private Behavior<Message> stashOrRefuse(Message message, ActorRef<Reply> replyTo) {
    if (stash.isFull()) {
      replyTo.tell(new Reply(null, null, "The session is still loading"));
    } else {
      stash.stash(message);
    }
    return this;
  }

  /** Takes an accepted outcome's state; a change devices can see counts for the next write. */
  private void change(Outcome.Accepted accepted) {
    PlaybackState next = accepted.state();
    if (next.version() != state.version()) {
      changeSeq++;
    }
    for (Event event : accepted.events()) {
      events.add(new PendingEvent(changeSeq, event));
    }
    state = next;
  }

  // ---- writes

  private void writeIfNeeded() {
    if (writing || durableSeq == changeSeq) {
      return;
    }
    writing = true;
    PlaybackState snapshot = state;
    long seq = changeSeq;
    getContext()
        .pipeToSelf(store.save(snapshot), (ok, failure) -> new Written(snapshot, seq, failure));
  }

  private Behavior<Message> onWritten(Written written) {
    writing = false;
    if (written.failure() != null) {
      getContext()
          .getLog()
          .warn(
              "Writing the session of user {} failed, retrying: {}",
              userId,
              written.failure().toString());
      // The waiting commands are answered with the failure (they may or may not apply: the state
      // in memory keeps them and the write is retried).
      for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
        Waiting w = it.next();
        if (w.needs() <= written.seq()) {
          w.replyTo().tell(new Reply(null, null, "The session could not be written"));
          it.remove();
        }
      }
      timers.startSingleTimer(Timer.RETRY_WRITE, RETRY_DELAY);
      return this;
    }
    durableSeq = written.seq();
    durable = written.state();
    List<Event> told = new ArrayList<>();
    for (Iterator<PendingEvent> it = events.iterator(); it.hasNext(); ) {
      PendingEvent e = it.next();
      if (e.seq() <= durableSeq) {
        told.add(e.event());
        it.remove();
      }
    }
    try {
      listener.changed(durable, told);
    } catch (RuntimeException e) {
      getContext().getLog().warn("The session listener failed for user {}", userId, e);
    }
    answerDurable();
    writeIfNeeded();
    return stopIfDone();
  }

  private Behavior<Message> onRetryWrite() {
    writeIfNeeded();
    return this;
  }

  /** Answers the commands whose changes (and every change before them) are written. */
  private void answerDurable() {
    while (!waiting.isEmpty() && waiting.get(0).needs() <= durableSeq) {
      Waiting w = waiting.remove(0);
      w.replyTo().tell(new Reply(w.outcome(), null, null));
    }
  }

  // ---- time and life

  private Behavior<Message> onTick() {
    Instant now = clock.instant();
    Outcome outcome =
        PlaybackSession.apply(
            state, new Command.Tick(settings.deviceTimeout(), settings.transferTimeout()), now);
    if (outcome instanceof Outcome.Accepted accepted) {
      change(accepted);
      writeIfNeeded();
    }
    if (!passivating
        && Duration.between(lastOutside, now).compareTo(settings.passivateAfter()) >= 0
        && clean()) {
      // The shard answers with Stop, after which messages for the user start a new entity.
      passivating = true;
      shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
    }
    return this;
  }

  private Behavior<Message> onStop() {
    stopping = true;
    if (state == null) {
      return Behaviors.stopped();
    }
    writeIfNeeded();
    return stopIfDone();
  }

  private Behavior<Message> stopIfDone() {
    return stopping && clean() ? Behaviors.stopped() : this;
  }

  private boolean clean() {
    return !writing && durableSeq == changeSeq && waiting.isEmpty();
  }
}
