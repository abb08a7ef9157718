package io.cadenza.session.failover;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import io.cadenza.session.CborSerializable;

/** A sharded entity that answers with the address of the node it lives on. */
final class WhereProbe {

  static final EntityTypeKey<Where> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Where.class, "failover-probe");

  record Where(ActorRef<Here> replyTo) implements CborSerializable {}

  record Here(String address) implements CborSerializable {}

  private WhereProbe() {}

  static void initSharding(ActorSystem<?> system) {
    String self = Cluster.get(system).selfMember().address().toString();
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY,
                context ->
                    Behaviors.receiveMessage(
                        where -> {
                          where.replyTo().tell(new Here(self));
                          return Behaviors.same();
                        })));
  }
}
