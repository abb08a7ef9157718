package io.cadenza.session;

import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.JoinSeedNodes;
import io.cadenza.config.CadenzaSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's member of the Akka session cluster. With no seed nodes configured it forms a cluster
 * of itself (a single node); otherwise it joins the seeds. Sharded entities are registered on
 * {@link #system()} by the features that own them.
 */
public final class SessionCluster {

  /** The ActorSystem name; part of every Akka address ({@code akka://cadenza@host:port}). */
  public static final String SYSTEM_NAME = "cadenza";

  private static final Logger LOG = LoggerFactory.getLogger(SessionCluster.class);

  private final ActorSystem<Void> system;
  private final Cluster cluster;

  private SessionCluster(ActorSystem<Void> system) {
    this.system = system;
    this.cluster = Cluster.get(system);
  }

  /** Starts the ActorSystem and asks to join. Blocking for about a second: call from a worker. */
  public static SessionCluster start(CadenzaSettings settings) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, settings.hocon());
    SessionCluster node = new SessionCluster(system);
    List<Address> seeds =
        settings.cluster().akka().seedNodes().stream().map(AddressFromURIString::parse).toList();
    Address self = node.cluster.selfMember().address();
    node.cluster.manager().tell(new JoinSeedNodes(seeds.isEmpty() ? List.of(self) : seeds));
    LOG.info(
        "Akka session cluster member {} started; joining {}.",
        self,
        seeds.isEmpty() ? "itself" : seeds);
    return node;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** This member's address, e.g. {@code akka://cadenza@127.0.0.1:25520}. */
  public Address selfAddress() {
    return cluster.selfMember().address();
  }

  /** True once this member is Up in the cluster. */
  public boolean isUp() {
    return cluster.selfMember().status().equals(MemberStatus.up());
  }

  /** Members Up, and those unreachable from here: what readiness reports. */
  public int membersUp() {
    int up = 0;
    for (var member : cluster.state().getMembers()) {
      if (member.status().equals(MemberStatus.up())) {
        up++;
      }
    }
    return up;
  }

  public int unreachable() {
    return cluster.state().getUnreachable().size();
  }

  /** Completes once this member is Up, or fails after the timeout. */
  public CompletionStage<Void> whenUp(Duration timeout) {
    CompletableFuture<Void> up = new CompletableFuture<>();
    akka.cluster.Cluster.get(system).registerOnMemberUp(() -> up.complete(null));
    if (isUp()) {
      up.complete(null);
    }
    return up.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code hook} when the JVM shuts down (SIGTERM), registered with Akka so that Akka's own
   * JVM hooks wait for it: Artery (remoting) has a JVM shutdown hook of its own that closes every
   * connection to the other members once the hooks registered here are done. Registered as a plain
   * {@link Runtime#addShutdownHook} instead, a node's graceful stop (which leaves the cluster in
   * its course, see {@link #stop()}) found its remoting already closed: the other members saw it
   * unreachable instead of leaving, and with two members the split-brain resolver could down the
   * survivor.
   */
  public void addJvmShutdownHook(Runnable hook) {
    akka.actor.CoordinatedShutdown.get(system).addJvmShutdownHook(hook);
  }

  /** Leaves the cluster gracefully (hands entities over) and terminates the ActorSystem. */
  public CompletionStage<Void> stop() {
    return akka.actor.CoordinatedShutdown.get(system)
        .runAll(akka.actor.CoordinatedShutdown.unknownReason())
        .thenApply(done -> null);
  }
}
