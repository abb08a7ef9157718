package io.cadenza.edge.player;

import io.cadenza.playback.Event;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The {@value #TOPIC} feed: one record per report of the active device, keyed by user (so one
 * user's events stay in order on one partition). Each record carries an {@code event_id} derived
 * from what it says, so a report sent twice (a device retrying after a lost ack) is the same event
 * and the listening log stores it once.
 */
public final class ListeningEvents {

  /** The Kafka topic (created by the node with the other topics of {@code cadenza.kafka}). */
  public static final String TOPIC = "listening-events";

  private final KafkaProducer<String, byte[]> producer;

  public ListeningEvents(KafkaProducer<String, byte[]> producer) {
    this.producer = producer;
  }

  /**
   * Publishes the {@link Event.Listened} among {@code events}; completes once Kafka acknowledged
   * every one of them (acks from all in-sync replicas), fails if any was not.
   */
  public Future<Void> publish(List<Event> events) {
    List<Future<?>> sent = new ArrayList<>();
    for (Event event : events) {
      if (event instanceof Event.Listened listened) {
        sent.add(
            producer.send(
                KafkaProducerRecord.create(
                    TOPIC, listened.userId(), json(listened).toBuffer().getBytes())));
      }
    }
    return sent.isEmpty() ? Future.succeededFuture() : Future.all(sent).mapEmpty();
  }

  /** The record's JSON; {@code event_id} is the same for the same report. */
  static JsonObject json(Event.Listened e) {
    return new JsonObject()
        .put("event_id", eventId(e))
        .put("user_id", e.userId())
        .put("device_id", e.deviceId())
        .put("item_id", e.itemId())
        .put("uri", e.uri())
        .put("context_uri", e.contextUri())
        .put("kind", e.kind().name().toLowerCase(Locale.ROOT))
        .put("position_ms", e.positionMs())
        .put("duration_ms", e.durationMs())
        .put("at", e.at().toString());
  }

  /**
   * A name-based UUID of the user, the queue item, the kind and the reported position: a device
   * reporting the same thing twice gets one id.
   */
  static String eventId(Event.Listened e) {
    String key =
        String.join("|", e.userId(), e.itemId(), e.kind().name(), Long.toString(e.positionMs()));
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
