package io.cadenza.edge.player;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cadenza.analytics.InvalidListeningEvent;
import io.cadenza.analytics.ListeningEvent;
import io.cadenza.analytics.ListeningEventJson;
import io.cadenza.playback.Command.ReportKind;
import io.cadenza.playback.Event;
import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of the listening log: {@link ListeningEvent}s (schema {@value
 * ListeningEvent#SCHEMA_VERSION}, {@link ListeningEventJson}) on {@code cadenza.listening.topic},
 * keyed by user so one user's plays stay in order on one partition. The node's producer is
 * idempotent with {@code acks=all}: a future here completes once every in-sync replica has the
 * records.
 *
 * <p>From the session ({@link #publish(List)}): one event per <em>finished</em> play, from the
 * active device's {@link Event.Listened} reports. A {@code COMPLETED} report ends a play with
 * {@code reason_end} {@code trackdone} and the track's duration played; a {@code SKIPPED} report
 * ends it with {@code fwdbtn} and the reported position played. {@code STARTED}, {@code PROGRESS}
 * and {@code PAUSED} reports produce no event (the play has not ended). {@code started_at} is the
 * report's server time minus what was played; {@code reason_start} is the previous play's {@code
 * reason_end} when that play ended (on this node) right where this one started, else {@code
 * unknown}; {@code shuffle} is not reported by the session and is written false; {@code country} is
 * the listener's account country, read once and cached.
 *
 * <p>The event id is {@linkplain ListeningEvent#timeOrderedId(long, String) time-ordered and
 * name-based}: the play's end in its first bits, then a hash of the user, the queue item, the end
 * reason, what was played and the report's time. The same report applied twice (a device retrying
 * after a lost answer on the last track of a context, which the session does not leave) is
 * recognised on this node when it comes within the play's own length of the first, since a new play
 * of that item could not have ended sooner: the first event is published again, unchanged, and the
 * listening log stores it once. (A retry that reaches another node is not recognised: the session
 * itself refuses most retries, as it has moved on to the next item.)
 *
 * <p>From offline clients ({@link #publishAll(List)}): already built and validated events.
 */
public final class ListeningEvents {

  /** The default topic ({@code cadenza.listening.topic}). */
  public static final String TOPIC = "listening-events";

  /** A play that starts this soon after the previous one ended follows from it. */
  static final Duration FOLLOWS_WITHIN = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(ListeningEvents.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final Function<String, Future<String>> countryOf;

  /** Per user, the last play this node published from the session. */
  private final Cache<String, Finished> lastPlays =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofHours(1)).build();

  /** The last finished play of a user: its queue item, when it was reported, what was published. */
  record Finished(String itemId, Instant reportedAt, ListeningEvent event) {}

  /**
   * @param producer the node's idempotent, {@code acks=all} producer
   * @param topic {@code cadenza.listening.topic}
   * @param countryOf a user's account country (ISO 3166-1 alpha-2), null when unknown
   */
  public ListeningEvents(
      KafkaProducer<String, byte[]> producer,
      String topic,
      Function<String, Future<String>> countryOf) {
    this.producer = producer;
    this.topic = topic;
    this.countryOf = countryOf;
  }

  /**
   * Publishes one listening event per finished play among {@code events} (the session's); completes
   * once Kafka acknowledged every one of them, fails if any was not.
   */
  public Future<Void> publish(List<Event> events) {
    List<Event.Listened> finished = new ArrayList<>();
    for (Event event : events) {
      if (event instanceof Event.Listened listened && reasonEnd(listened.kind()) != null) {
        finished.add(listened);
      }
    }
    if (finished.isEmpty()) {
      return Future.succeededFuture();
    }
    String userId = finished.get(0).userId();
    return country(userId)
        .compose(
            country -> {
              List<ListeningEvent> out = new ArrayList<>();
              for (Event.Listened listened : finished) {
                ListeningEvent event = toEvent(listened, country);
                if (event != null) {
                  out.add(event);
                }
              }
              return publishAll(out).mapEmpty();
            });
  }

  /**
   * Publishes {@code events}, each keyed by its user; completes with their number once Kafka
   * acknowledged every one of them, fails if any was not (resending them all is safe: the sink
   * stores an event id once).
   */
  public Future<Integer> publishAll(List<ListeningEvent> events) {
    List<Future<?>> sent = new ArrayList<>(events.size());
    for (ListeningEvent event : events) {
      sent.add(
          producer.send(
              KafkaProducerRecord.create(topic, event.userId(), ListeningEventJson.write(event))));
    }
    return sent.isEmpty() ? Future.succeededFuture(0) : Future.all(sent).map(all -> events.size());
  }

  private Future<String> country(String userId) {
    Future<String> read;
    try {
      read = countryOf.apply(userId);
    } catch (RuntimeException e) {
      read = Future.failedFuture(e);
    }
    return read.otherwise(
        failure -> {
          LOG.atWarn()
              .addKeyValue("userId", userId)
              .log(
                  "The listener's country could not be read; the play is logged without it: {}",
                  failure.toString());
          return null;
        });
  }

  /**
   * The listening event of a finished play's report, or null when the report does not end a play
   * (or names no track, or breaks the schema: logged).
   */
  ListeningEvent toEvent(Event.Listened e, String country) {
    String reasonEnd = reasonEnd(e.kind());
    if (reasonEnd == null) {
      return null;
    }
    long msPlayed = Math.max(0, e.positionMs());
    Finished previous = lastPlays.getIfPresent(e.userId());
    if (previous != null
        && previous.itemId().equals(e.itemId())
        && previous.event().reasonEnd().equals(reasonEnd)
        && previous.event().msPlayed() == msPlayed
        && !e.at().isBefore(previous.reportedAt())
        && Duration.between(previous.reportedAt(), e.at()).toMillis() < Math.max(1, msPlayed)) {
      return previous.event(); // the same report again: the same event, stored once
    }
    Instant startedAt = e.at().minusMillis(msPlayed);
    String reasonStart = "unknown";
    if (previous != null) {
      long gap = Duration.between(previous.event().playedAt(), startedAt).abs().toMillis();
      if (gap <= FOLLOWS_WITHIN.toMillis()) {
        reasonStart = previous.event().reasonEnd();
      }
    }
    String trackId = trackId(e.uri());
    ListeningEvent event =
        new ListeningEvent(
            eventId(e, reasonEnd, msPlayed),
            e.userId(),
            trackId == null ? "" : trackId,
            e.deviceId(),
            e.contextUri(),
            startedAt,
            msPlayed,
            reasonStart,
            reasonEnd,
            false,
            false,
            null,
            country);
    try {
      ListeningEventJson.fromJson(ListeningEventJson.toJson(event));
    } catch (InvalidListeningEvent invalid) {
      LOG.atWarn()
          .addKeyValue("userId", e.userId())
          .addKeyValue("deviceId", e.deviceId())
          .log(
              "A finished play is not logged, it breaks the event schema: {}",
              invalid.getMessage());
      return null;
    }
    lastPlays.put(e.userId(), new Finished(e.itemId(), e.at(), event));
    return event;
  }

  /** Spotify's {@code reason_end} of a report that ends a play; null for the others. */
  static String reasonEnd(ReportKind kind) {
    return switch (kind) {
      case COMPLETED -> "trackdone";
      case SKIPPED -> "fwdbtn";
      case STARTED, PROGRESS, PAUSED -> null;
    };
  }

  /** The id of a track URI ({@code cadenza:track:ID}, {@code spotify:track:ID}); null if none. */
  static String trackId(String uri) {
    if (uri == null) {
      return null;
    }
    String[] parts = uri.split(":", -1);
    return parts.length == 3 && parts[1].equals("track") && !parts[2].isEmpty() ? parts[2] : null;
  }

  /**
   * A time-ordered UUID named by the user, the queue item, the end, what was played and when it
   * ended.
   */
  static UUID eventId(Event.Listened e, String reasonEnd, long msPlayed) {
    String key =
        String.join(
            "|",
            e.userId(),
            e.itemId(),
            reasonEnd,
            Long.toString(msPlayed),
            Long.toString(e.at().toEpochMilli()));
    return ListeningEvent.timeOrderedId(e.at().toEpochMilli(), key);
  }
}
