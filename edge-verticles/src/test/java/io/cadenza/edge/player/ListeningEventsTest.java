package io.cadenza.edge.player;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.analytics.ListeningEvent;
import io.cadenza.analytics.ListeningEventJson;
import io.cadenza.playback.Command.ReportKind;
import io.cadenza.playback.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListeningEventsTest {

  private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
  private static final String TRACK = "4Uv9Tq0Zb6mX2kR8pLw3Ns";

  private Vertx vertx;
  private MockProducer<String, byte[]> mock;
  private ListeningEvents events;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    mock = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    events =
        new ListeningEvents(
            KafkaProducer.create(vertx, mock), "plays-topic", user -> Future.succeededFuture("SE"));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static Event.Listened report(String item, ReportKind kind, long position, Instant at) {
    return new Event.Listened(
        "ada",
        "phone",
        item,
        "cadenza:track:" + TRACK,
        "cadenza:album:x",
        kind,
        position,
        200_000,
        at);
  }

  @Test
  void onlyFinishedPlaysBecomeEvents() {
    assertThat(events.toEvent(report("i1", ReportKind.STARTED, 0, AT), "SE")).isNull();
    assertThat(events.toEvent(report("i1", ReportKind.PROGRESS, 20_000, AT), "SE")).isNull();
    assertThat(events.toEvent(report("i1", ReportKind.PAUSED, 30_000, AT), "SE")).isNull();
  }

  @Test
  void aCompletedReportIsATrackdonePlayOfItsPosition() {
    ListeningEvent e = events.toEvent(report("i1", ReportKind.COMPLETED, 200_000, AT), "SE");
    assertThat(e.reasonEnd()).isEqualTo("trackdone");
    assertThat(e.reasonStart()).isEqualTo("unknown");
    assertThat(e.msPlayed()).isEqualTo(200_000);
    assertThat(e.startedAt()).isEqualTo(AT.minusMillis(200_000));
    assertThat(e.playedAt()).isEqualTo(AT);
    assertThat(e.trackId()).isEqualTo(TRACK);
    assertThat(e.userId()).isEqualTo("ada");
    assertThat(e.deviceId()).isEqualTo("phone");
    assertThat(e.contextUri()).isEqualTo("cadenza:album:x");
    assertThat(e.country()).isEqualTo("SE");
    assertThat(e.offline()).isFalse();
  }

  @Test
  void aSkipIsAFwdbtnPlayAndTheNextPlayStartsFromIt() {
    ListeningEvent skipped = events.toEvent(report("i1", ReportKind.SKIPPED, 45_000, AT), "SE");
    assertThat(skipped.reasonEnd()).isEqualTo("fwdbtn");
    assertThat(skipped.msPlayed()).isEqualTo(45_000);
    ListeningEvent next =
        events.toEvent(report("i2", ReportKind.COMPLETED, 200_000, AT.plusMillis(200_500)), "SE");
    assertThat(next.reasonStart()).isEqualTo("fwdbtn");
    // A play that starts long after the previous one ended: why it started is not known.
    ListeningEvent later =
        events.toEvent(report("i3", ReportKind.COMPLETED, 200_000, AT.plusSeconds(3_600)), "SE");
    assertThat(later.reasonStart()).isEqualTo("unknown");
  }

  @Test
  void theSameReportTwiceIsTheSameEvent() {
    ListeningEvent first = events.toEvent(report("i1", ReportKind.COMPLETED, 200_000, AT), "SE");
    ListeningEvent again =
        events.toEvent(report("i1", ReportKind.COMPLETED, 200_000, AT.plusSeconds(3)), "SE");
    assertThat(again).isEqualTo(first);
    // The same item played through again (repeat): a new play.
    ListeningEvent repeated =
        events.toEvent(report("i1", ReportKind.COMPLETED, 200_000, AT.plusSeconds(201)), "SE");
    assertThat(repeated.eventId()).isNotEqualTo(first.eventId());
    assertThat(repeated.reasonStart()).isEqualTo("trackdone");
    // Ids are time-ordered by the report's time, the play's end.
    assertThat(first.eventId().version()).isEqualTo(8);
    assertThat(first.eventId().getMostSignificantBits() >>> 16).isEqualTo(AT.toEpochMilli());
    assertThat(repeated.eventId().getMostSignificantBits() >>> 16)
        .isEqualTo(AT.plusSeconds(201).toEpochMilli());
  }

  @Test
  void publishSendsSchemaOneKeyedByUserAndCompletesOnAck() throws Exception {
    events
        .publish(
            List.of(
                report("i1", ReportKind.STARTED, 0, AT.minusSeconds(200)),
                report("i1", ReportKind.COMPLETED, 200_000, AT)))
        .await();
    assertThat(mock.history()).hasSize(1);
    ProducerRecord<String, byte[]> record = mock.history().get(0);
    assertThat(record.topic()).isEqualTo("plays-topic");
    assertThat(record.key()).isEqualTo("ada");
    ListeningEvent e = ListeningEventJson.read(record.value());
    assertThat(e.trackId()).isEqualTo(TRACK);
    assertThat(e.country()).isEqualTo("SE");
  }

  @Test
  void anUnreadableCountryStillLogsThePlay() {
    ListeningEvents noCountry =
        new ListeningEvents(
            KafkaProducer.create(vertx, mock),
            "plays-topic",
            user -> Future.failedFuture(new IllegalStateException("down")));
    noCountry.publish(List.of(report("i1", ReportKind.SKIPPED, 40_000, AT))).await();
    assertThat(mock.history()).hasSize(1);
  }
}
