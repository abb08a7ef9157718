package io.cadenza.session;

import akka.actor.AbstractExtensionId;
import akka.actor.Cancellable;
import akka.actor.ClassicActorSystemProvider;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;
import akka.actor.ExtensionIdProvider;
import akka.coordination.lease.LeaseSettings;
import akka.coordination.lease.LeaseTimeoutException;
import akka.coordination.lease.javadsl.Lease;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Akka lease kept as a row of a CQL table (ScyllaDB, or Cassandra locally), for the split-brain
 * resolver's {@code lease-majority} strategy. Akka loads it by the {@code lease-class} of the
 * config block named by {@code lease-implementation} ({@code cadenza.cql-lease}).
 *
 * <p>The row {@code (name, owner)} is only written with lightweight transactions, so one owner
 * holds a lease at a time: acquire is {@code INSERT ... IF NOT EXISTS USING TTL} (or, for the owner
 * that already holds it, a renewal), the holder renews it every {@code heartbeat-interval} with
 * {@code UPDATE ... USING TTL ... IF owner = ?}, and release is {@code DELETE ... IF owner = ?}.
 * The TTL is {@code heartbeat-timeout}: the row of a holder that crashed disappears by itself after
 * it. A renewal that finds another owner (or no row) loses the lease at once; renewals that fail
 * (the database unreachable) lose it once the TTL counted from the last successful renewal has
 * passed. The holder counts that TTL from before it sent the write, so it gives the lease up
 * locally no later than the database expires the row. Losing the lease calls the callback given to
 * {@code acquire}.
 *
 * <p>The lease uses the node's own {@link CqlSession}, which the node hands over with {@link
 * #provideSession} once it has connected (the ActorSystem starts first). Until then acquire fails
 * after {@code lease-operation-timeout}, which makes the resolver down its own side: the safe
 * choice when the lease cannot be checked.
 */
public final class CqlLease extends Lease {

  private static final Logger LOG = LoggerFactory.getLogger(CqlLease.class);
  private static final Pattern CQL_IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,47}");

  private final LeaseSettings settings;
  private final ExtendedActorSystem system;
  private final String name;
  private final String owner;
  private final String table;
  private final int ttlSeconds;
  private final Duration heartbeatInterval;
  private final Duration operationTimeout;
  private final CompletableFuture<CqlSession> session;
  private final AtomicReference<CompletableFuture<Statements>> statements = new AtomicReference<>();

  private final Object lock = new Object();
  // Guarded by lock. A generation ends when the lease is lost or released; the heartbeats of an
  // ended generation do nothing.
  private long generation;
  private boolean held;
  private long validUntilNanos;
  private Consumer<Optional<Throwable>> onLost;
  private Cancellable nextHeartbeat;

  /** The constructor Akka's lease provider calls. */
  public CqlLease(LeaseSettings settings, ExtendedActorSystem system) {
    this.settings = settings;
    this.system = system;
    this.name = settings.leaseName();
    this.owner = settings.ownerName();
    var config = settings.leaseConfig();
    this.table =
        identifier(config.getString("keyspace")) + "." + identifier(config.getString("table"));
    var timeouts = settings.timeoutSettings();
    long ttl = timeouts.getHeartbeatTimeout().toSeconds();
    if (ttl < 1) {
      throw new IllegalArgumentException("the lease heartbeat-timeout must be at least 1s");
    }
    this.ttlSeconds = Math.toIntExact(ttl);
    this.heartbeatInterval = timeouts.getHeartbeatInterval();
    this.operationTimeout = timeouts.getOperationTimeout();
    this.session = SessionSlot.ID.get(system).session;
    // Prepared as soon as the node provides its session, so the resolver's first acquire (during a
    // failover) is one round trip.
    session.thenRun(this::statements);
  }

  /**
   * Hands the node's CQL session to every CqlLease of the given ActorSystem (one line in the
   * composition root, once the session is connected and the migrations are applied). The lease
   * never closes it.
   *
   * @throws IllegalStateException when the ActorSystem already has another session
   */
  public static void provideSession(ClassicActorSystemProvider system, CqlSession session) {
    CompletableFuture<CqlSession> slot = SessionSlot.ID.get(system).session;
    if (!slot.complete(session) && slot.join() != session) {
      throw new IllegalStateException("the ActorSystem's leases already have a CQL session");
    }
  }

  @Override
  public LeaseSettings getSettings() {
    return settings;
  }

  @Override
  public CompletionStage<Boolean> acquire() {
    return acquire(lost -> {});
  }

  @Override
  public CompletionStage<Boolean> acquire(Consumer<Optional<Throwable>> leaseLostCallback) {
    long sentAt = System.nanoTime();
    return statements()
        .thenCompose(
            st ->
                execute(st.insert.bind(name, owner, ttlSeconds))
                    .thenCompose(
                        inserted ->
                            inserted.wasApplied()
                                // Reentrant: the holder (or an earlier attempt of this owner whose
                                // answer was lost) renews it instead.
                                ? CompletableFuture.completedFuture(true)
                                : execute(st.renew.bind(ttlSeconds, owner, name, owner))
                                    .thenApply(AsyncResultSet::wasApplied)))
        .thenApply(
            acquired -> {
              if (acquired) {
                onAcquired(sentAt, leaseLostCallback);
              } else {
                LOG.info("Lease {} is held by another owner; {} did not get it.", name, owner);
              }
              return acquired;
            });
  }

  @Override
  public CompletionStage<Boolean> release() {
    synchronized (lock) {
      endGeneration();
    }
    // Also when not held here: an acquire whose answer was lost may have written the row.
    return statements()
        .thenCompose(st -> execute(st.delete.bind(name, owner)))
        .thenApply(
            deleted -> {
              LOG.info(
                  deleted.wasApplied()
                      ? "Lease {} released by {}."
                      : "Lease {} was not held by {}; nothing to release.",
                  name,
                  owner);
              return deleted.wasApplied();
            });
  }

  @Override
  public boolean checkLease() {
    synchronized (lock) {
      return held && System.nanoTime() - validUntilNanos < 0;
    }
  }

  private void onAcquired(long sentAt, Consumer<Optional<Throwable>> callback) {
    synchronized (lock) {
      endGeneration();
      held = true;
      validUntilNanos = sentAt + TimeUnit.SECONDS.toNanos(ttlSeconds);
      onLost = callback;
      scheduleHeartbeat(generation);
    }
    LOG.info("Lease {} acquired by {} (TTL {} s).", name, owner, ttlSeconds);
  }

  /** Stops the heartbeats and forgets the lease locally. Call with the lock held. */
  private void endGeneration() {
    generation++;
    held = false;
    onLost = null;
    if (nextHeartbeat != null) {
      nextHeartbeat.cancel();
      nextHeartbeat = null;
    }
  }

  private void scheduleHeartbeat(long gen) {
    try {
      nextHeartbeat =
          system
              .scheduler()
              .scheduleOnce(heartbeatInterval, () -> heartbeat(gen), system.dispatcher());
    } catch (IllegalStateException terminated) {
      // The ActorSystem is shutting down: no more renewals; the row expires after its TTL.
      nextHeartbeat = null;
    }
  }

  private void heartbeat(long gen) {
    synchronized (lock) {
      if (gen != generation) {
        return;
      }
    }
    long sentAt = System.nanoTime();
    statements()
        .thenCompose(st -> execute(st.renew.bind(ttlSeconds, owner, name, owner)))
        .whenComplete((renewed, failure) -> afterHeartbeat(gen, sentAt, renewed, failure));
  }

  private void afterHeartbeat(long gen, long sentAt, AsyncResultSet renewed, Throwable failure) {
    Consumer<Optional<Throwable>> lostCallback;
    Optional<Throwable> cause;
    synchronized (lock) {
      if (gen != generation) {
        return;
      }
      if (failure == null && renewed.wasApplied()) {
        validUntilNanos = sentAt + TimeUnit.SECONDS.toNanos(ttlSeconds);
        scheduleHeartbeat(gen);
        return;
      }
      if (failure != null && System.nanoTime() - validUntilNanos < 0) {
        LOG.warn(
            "Lease {} of {} could not be renewed ({}); it is kept until its TTL runs out.",
            name,
            owner,
            unwrap(failure).toString());
        scheduleHeartbeat(gen);
        return;
      }
      lostCallback = onLost;
      cause = Optional.ofNullable(failure).map(CqlLease::unwrap);
      endGeneration();
    }
    if (cause.isPresent()) {
      LOG.warn(
          "Lease {} of {} lost: not renewed within its TTL ({}).",
          name,
          owner,
          cause.get().toString());
    } else {
      LOG.warn("Lease {} of {} lost: another owner holds it or it expired.", name, owner);
    }
    try {
      lostCallback.accept(cause);
    } catch (RuntimeException e) {
      LOG.error("The lease-lost callback of lease {} failed.", name, e);
    }
  }

  private CompletionStage<AsyncResultSet> execute(BoundStatement statement) {
    return session
        .join()
        .executeAsync(
            statement
                .setTimeout(operationTimeout)
                .setConsistencyLevel(ConsistencyLevel.QUORUM)
                .setSerialConsistencyLevel(ConsistencyLevel.SERIAL));
  }

  /** The prepared statements, prepared once the session is there; retried after a failure. */
  private CompletionStage<Statements> statements() {
    CompletableFuture<Statements> current = statements.get();
    if (current != null && !current.isCompletedExceptionally()) {
      return current;
    }
    CompletableFuture<Statements> fresh =
        session
            .copy()
            .orTimeout(operationTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .exceptionallyCompose(
                failure ->
                    CompletableFuture.failedFuture(
                        unwrap(failure) instanceof TimeoutException
                            ? new LeaseTimeoutException(
                                "lease "
                                    + name
                                    + ": the node has not provided its CQL session"
                                    + " (CqlLease.provideSession)")
                            : failure))
            .thenCompose(this::prepare);
    statements.compareAndSet(current, fresh);
    return fresh;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  private static String identifier(String text) {
    if (!CQL_IDENTIFIER.matcher(text).matches()) {
      throw new IllegalArgumentException("not a lower-case CQL identifier: " + text);
    }
    return text;
  }

  private CompletionStage<Statements> prepare(CqlSession cql) {
    CompletableFuture<PreparedStatement> insert =
        cql.prepareAsync(
                "INSERT INTO " + table + " (name, owner) VALUES (?, ?) IF NOT EXISTS USING TTL ?")
            .toCompletableFuture();
    CompletableFuture<PreparedStatement> renew =
        cql.prepareAsync(
                "UPDATE " + table + " USING TTL ? SET owner = ? WHERE name = ? IF owner = ?")
            .toCompletableFuture();
    CompletableFuture<PreparedStatement> delete =
        cql.prepareAsync("DELETE FROM " + table + " WHERE name = ? IF owner = ?")
            .toCompletableFuture();
    return CompletableFuture.allOf(insert, renew, delete)
        .thenApply(v -> new Statements(insert.join(), renew.join(), delete.join()));
  }

  private record Statements(
      PreparedStatement insert, PreparedStatement renew, PreparedStatement delete) {}

  /** Where the node puts its CQL session for the leases of its ActorSystem. */
  static final class SessionSlot implements Extension {
    static final Id ID = new Id();

    final CompletableFuture<CqlSession> session = new CompletableFuture<>();

    static final class Id extends AbstractExtensionId<SessionSlot> implements ExtensionIdProvider {
      @Override
      public SessionSlot createExtension(ExtendedActorSystem system) {
        return new SessionSlot();
      }

      @Override
      public Id lookup() {
        return ID;
      }
    }
  }
}
