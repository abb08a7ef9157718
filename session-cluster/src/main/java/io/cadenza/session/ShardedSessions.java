package io.cadenza.session;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.RetriableException;
import io.cadenza.playback.Command;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@link Sessions} on Akka Cluster Sharding: each user's {@link UserSession} lives on one node of
 * the session cluster and is reached from any node by its user id. A node that crashes loses none
 * of its sessions' answered commands: they are started again on the survivors from the store.
 */
public final class ShardedSessions implements Sessions {

  /** Runs a task on the calling thread. */
  private static final Executor DIRECT = Runnable::run;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final CadenzaSettings.Session settings;

  private ShardedSessions(
      ActorSystem<?> system, ClusterSharding sharding, CadenzaSettings.Session settings) {
    this.system = system;
    this.sharding = sharding;
    this.settings = settings;
  }

  /**
   * Registers the entity on this node's member of the session cluster; from then on the node hosts
   * a share of the sessions and reaches all of them.
   */
  public static ShardedSessions start(
      ActorSystem<?> system,
      SessionStore store,
      SessionListener listener,
      CadenzaSettings.Session settings,
      Clock clock) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(
                UserSession.ENTITY_TYPE_KEY,
                entity ->
                    UserSession.create(
                        entity.getEntityId(), store, listener, settings, clock, entity.getShard()))
            .withStopMessage(new UserSession.Stop()));
    return new ShardedSessions(system, sharding, settings);
  }

  @Override
  public CompletionStage<Outcome> apply(
      String userId, Command command, OptionalLong expectedVersion) {
    Long expected = expectedVersion.isPresent() ? expectedVersion.getAsLong() : null;
    return ask(
        userId,
        replyTo -> new UserSession.Apply(command, expected, replyTo),
        UserSession.Reply::outcome);
  }

  @Override
  public CompletionStage<PlaybackState> state(String userId) {
    return ask(userId, UserSession.GetState::new, UserSession.Reply::state);
  }

  /**
   * Asks the user's entity; the stage fails with the {@link RetriableException} itself (not wrapped
   * in a CompletionException), so callers see its status.
   *
   * <p>The answer is taken on the thread that completes the ask (the reply's dispatcher thread),
   * with an explicit executor: the stage Akka returns turns even {@code whenComplete} into {@code
   * whenCompleteAsync} on the JDK's default executor, which on a machine of one or two cores is a
   * new thread per task (a thread per answer, and asks timing out under load).
   */
  private <T> CompletionStage<T> ask(
      String userId,
      Function<akka.actor.typed.ActorRef<UserSession.Reply>, UserSession.Message> message,
      Function<UserSession.Reply, T> answerOf) {
    EntityRef<UserSession.Message> ref = sharding.entityRefFor(UserSession.ENTITY_TYPE_KEY, userId);
    CompletableFuture<T> answer = new CompletableFuture<>();
    AskPattern.ask(ref, message::apply, settings.askTimeout(), system.scheduler())
        .whenCompleteAsync(
            (reply, failure) -> {
              if (failure != null) {
                answer.completeExceptionally(
                    RetriableException.unavailable(
                        "The playback session did not answer in time", failure));
              } else if (reply.failure() != null) {
                answer.completeExceptionally(RetriableException.unavailable(reply.failure(), null));
              } else {
                answer.complete(answerOf.apply(reply));
              }
            },
            DIRECT);
    return answer;
  }
}
