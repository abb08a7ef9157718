package io.cadenza.edge.listening;

import io.cadenza.analytics.InvalidListeningEvent;
import io.cadenza.analytics.ListeningEvent;
import io.cadenza.analytics.ListeningEventJson;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of {@code POST /v1/me/player/plays}: plays made offline, reported later. Each play
 * becomes a {@link ListeningEvent} of the token's user (offline, with the account's country) and is
 * checked as the sink would check it; the first problem refuses the whole batch with a message
 * naming the play's index and field, so nothing is published unless everything is.
 */
final class PlayBatch {

  /** How far a play may seem to end after the server's now (clients' clocks drift). */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private PlayBatch() {}

  /** The {@code plays} array; 400 when missing, empty or longer than {@code maxBatch}. */
  static JsonArray plays(JsonObject body, int maxBatch) {
    Object plays = body == null ? null : body.getValue("plays");
    if (!(plays instanceof JsonArray array) || array.isEmpty()) {
      throw new ValidationException("Invalid request body: plays must list at least one play");
    }
    if (array.size() > maxBatch) {
      throw new ValidationException(
          "Too many plays in one request: "
              + array.size()
              + " (at most "
              + maxBatch
              + "); send them in several requests");
    }
    return array;
  }

  /**
   * The batch's events, in the order given.
   *
   * @param country the user's country, null when unknown
   * @param now the server's time: no play may end later than this plus {@link #CLOCK_SKEW}
   * @throws ValidationException naming the first bad play and field
   */
  static List<ListeningEvent> parse(
      JsonObject body, String userId, String country, int maxBatch, Instant now) {
    JsonArray plays = plays(body, maxBatch);
    List<ListeningEvent> events = new ArrayList<>(plays.size());
    Map<UUID, Integer> seen = new HashMap<>();
    for (int i = 0; i < plays.size(); i++) {
      String at = "plays[" + i + "]";
      if (!(plays.getValue(i) instanceof JsonObject play)) {
        throw new ValidationException("Invalid request body: " + at + " must be a JSON object");
      }
      String trackId = trackId(play.getValue("track"));
      if (trackId == null) {
        throw new ValidationException(
            "Invalid request body: "
                + at
                + ".track must be a track URI (cadenza:track:<id>) or a track id");
      }
      JsonObject wire =
          new JsonObject()
              .put("schema", ListeningEvent.SCHEMA_VERSION)
              .put("event_id", play.getValue("event_id"))
              .put("user_id", userId)
              .put("track_id", trackId)
              .put("device_id", play.getValue("device_id"))
              .put("context_uri", play.getValue("context_uri"))
              .put("started_at", play.getValue("started_at"))
              .put("ms_played", play.getValue("ms_played"))
              .put("reason_start", play.getValue("reason_start"))
              .put("reason_end", play.getValue("reason_end"))
              .put("shuffle", play.getValue("shuffle"))
              .put("offline", true)
              .put("client_ts", play.getValue("client_ts"))
              .put("country", country);
      ListeningEvent event;
      try {
        event = ListeningEventJson.fromJson(wire);
      } catch (InvalidListeningEvent invalid) {
        // "ms_played: must be 0 to 86400000" -> "plays[2].ms_played must be 0 to 86400000"
        throw new ValidationException(
            "Invalid request body: " + at + "." + invalid.getMessage().replaceFirst(": ", " "));
      }
      if (event.playedAt().isAfter(now.plus(CLOCK_SKEW))) {
        throw new ValidationException(
            "Invalid request body: "
                + at
                + " ends in the future (started_at plus ms_played is after the server's time)");
      }
      Integer first = seen.putIfAbsent(event.eventId(), i);
      if (first != null) {
        throw new ValidationException(
            "Invalid request body: " + at + ".event_id repeats plays[" + first + "].event_id");
      }
      events.add(event);
    }
    return events;
  }

  /**
   * The track id of a play's {@code track}: a {@code cadenza:track:} or {@code spotify:track:} URI,
   * or the bare id; null when it is none of these.
   */
  static String trackId(Object track) {
    if (!(track instanceof String text)) {
      return null;
    }
    String id = text;
    if (text.startsWith("cadenza:track:")) {
      id = text.substring("cadenza:track:".length());
    } else if (text.startsWith("spotify:track:")) {
      id = text.substring("spotify:track:".length());
    }
    return Base62Id.isValid(id) ? id : null;
  }
}
