package io.cadenza.catalog.model;

import io.cadenza.config.error.ValidationException;
import java.util.Locale;

/** The kinds of catalog entity, named on the wire and in URIs as {@link #wire()}. */
public enum EntityType {
  ARTIST,
  ALBUM,
  TRACK;

  /** {@code artist}, {@code album} or {@code track}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EntityType fromWire(String wire) {
    for (EntityType type : values()) {
      if (type.wire().equals(wire)) {
        return type;
      }
    }
    throw new ValidationException("type must be artist, album or track, not " + wire);
  }
}
