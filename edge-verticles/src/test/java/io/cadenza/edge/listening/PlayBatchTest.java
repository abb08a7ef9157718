package io.cadenza.edge.listening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.analytics.ListeningEvent;
import io.cadenza.config.error.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PlayBatchTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final String TRACK = "4Uv9Tq0Zb6mX2kR8pLw3Ns";

  private static JsonObject play() {
    return new JsonObject()
        .put("event_id", UUID.randomUUID().toString())
        .put("track", "cadenza:track:" + TRACK)
        .put("device_id", "phone")
        .put("started_at", "2026-12-05T08:00:00.250Z")
        .put("ms_played", 183_000)
        .put("reason_start", "clickrow")
        .put("reason_end", "trackdone");
  }

  private static List<ListeningEvent> parse(JsonObject... plays) {
    return PlayBatch.parse(
        new JsonObject().put("plays", new JsonArray(List.of((Object[]) plays))),
        "ada",
        "SE",
        3,
        NOW);
  }

  @Test
  void aPlayBecomesAnOfflineEventOfTheUserInTheirCountry() {
    JsonObject json = play().put("context_uri", "cadenza:album:x").put("shuffle", true);
    ListeningEvent event = parse(json).get(0);
    assertThat(event.eventId()).isEqualTo(UUID.fromString(json.getString("event_id")));
    assertThat(event.userId()).isEqualTo("ada");
    assertThat(event.trackId()).isEqualTo(TRACK);
    assertThat(event.offline()).isTrue();
    assertThat(event.shuffle()).isTrue();
    assertThat(event.country()).isEqualTo("SE");
    assertThat(event.contextUri()).isEqualTo("cadenza:album:x");
    assertThat(event.playedAt()).isEqualTo(Instant.parse("2026-12-05T08:03:03.250Z"));
    assertThat(event.reasonStart()).isEqualTo("clickrow");
  }

  @Test
  void aTrackIsAUriOrAnId() {
    assertThat(PlayBatch.trackId("cadenza:track:" + TRACK)).isEqualTo(TRACK);
    assertThat(PlayBatch.trackId("spotify:track:" + TRACK)).isEqualTo(TRACK);
    assertThat(PlayBatch.trackId(TRACK)).isEqualTo(TRACK);
    assertThat(PlayBatch.trackId("cadenza:album:" + TRACK)).isNull();
    assertThat(PlayBatch.trackId("nope")).isNull();
    assertThat(PlayBatch.trackId(42)).isNull();
  }

  @Test
  void aBadFieldIsNamedWithItsPlaysIndex() {
    assertThatThrownBy(() -> parse(play(), play().put("reason_end", "bored")))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("Invalid request body: plays[1].reason_end must be one of");
    assertThatThrownBy(() -> parse(play().put("started_at", "yesterday")))
        .hasMessageStartingWith("Invalid request body: plays[0].started_at must be an ISO-8601");
    assertThatThrownBy(() -> parse(play(), play(), play().put("track", "cadenza:track:x")))
        .hasMessageStartingWith("Invalid request body: plays[2].track must be a track URI");
    assertThatThrownBy(() -> parse(play().put("event_id", "not-a-uuid")))
        .hasMessage("Invalid request body: plays[0].event_id must be a UUID");
  }

  @Test
  void aPlayEndingInTheFutureIsRefused() {
    assertThatThrownBy(() -> parse(play().put("started_at", "2026-12-06T12:03:00Z")))
        .hasMessageStartingWith("Invalid request body: plays[0] ends in the future");
    // Within the clock skew it passes.
    assertThat(parse(play().put("started_at", "2026-12-06T11:59:00Z"))).hasSize(1);
  }

  @Test
  void anEventIdTwiceInOneBatchIsRefused() {
    JsonObject first = play();
    assertThatThrownBy(
            () -> parse(first, play(), play().put("event_id", first.getString("event_id"))))
        .hasMessage("Invalid request body: plays[2].event_id repeats plays[0].event_id");
  }

  @Test
  void moreThanTheBatchLimitIsRefusedWithTheLimit() {
    assertThatThrownBy(() -> parse(play(), play(), play(), play()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Too many plays in one request: 4 (at most 3); send them in several requests");
    assertThatThrownBy(() -> PlayBatch.plays(new JsonObject().put("plays", new JsonArray()), 3))
        .hasMessage("Invalid request body: plays must list at least one play");
  }
}
