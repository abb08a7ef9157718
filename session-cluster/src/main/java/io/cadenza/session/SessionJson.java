package io.cadenza.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cadenza.playback.Command;
import io.cadenza.playback.Event;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON of the playback-sync types: the session snapshots in ScyllaDB and the changes the edge
 * publishes on the clustered event bus. Instants and durations are ISO-8601 strings (nanosecond
 * precision kept); commands, events and outcomes carry a {@code "type"} with the record's name (see
 * {@link SessionJsonModule}). Unknown properties are ignored, so a snapshot written by a newer node
 * still reads on an older one during a rolling upgrade. Thread-safe.
 */
public final class SessionJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new SessionJsonModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private SessionJson() {}

  /** The configured mapper, for callers that embed these types in their own JSON. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] writeChange(PlaybackState state, List<Event> events) {
    return write(new SessionChange(state, events));
  }

  public static SessionChange readChange(byte[] json) {
    return read(json, SessionChange.class);
  }

  public static byte[] writeState(PlaybackState state) {
    return write(state);
  }

  public static PlaybackState readState(byte[] json) {
    return read(json, PlaybackState.class);
  }

  public static byte[] writeCommand(Command command) {
    return write(command);
  }

  public static Command readCommand(byte[] json) {
    return read(json, Command.class);
  }

  public static byte[] writeOutcome(Outcome outcome) {
    return write(outcome);
  }

  public static Outcome readOutcome(byte[] json) {
    return read(json, Outcome.class);
  }

  private static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  private static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      if (e instanceof JsonProcessingException invalid) {
        throw new IllegalArgumentException(
            "not a valid " + type.getSimpleName() + ": " + invalid.getOriginalMessage(), e);
      }
      throw new UncheckedIOException(e);
    }
  }
}
