package io.cadenza.edge.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.hazelcast.core.HazelcastInstance;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.session.SessionCluster;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.redis.client.Redis;
import org.apache.kafka.clients.admin.Admin;

/** The connected clients of one node, handed by the composition root to what needs them. */
public record Infrastructure(
    CadenzaSettings settings,
    Vertx vertx,
    HazelcastInstance hazelcast,
    PrometheusMeterRegistry metrics,
    SessionCluster sessionCluster,
    CqlSession cql,
    Admin kafkaAdmin,
    KafkaProducer<String, byte[]> kafkaProducer,
    Redis redis) {}
