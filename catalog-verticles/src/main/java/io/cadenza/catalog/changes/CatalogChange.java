package io.cadenza.catalog.changes;

import io.cadenza.catalog.model.EntityType;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * One event of the {@value #TOPIC} feed: an entity was written ({@link Op#UPSERT}) or removed
 * ({@link Op#DELETE}). The event names the entity, it does not carry it: a consumer reads the
 * current row from the catalog, so a late or repeated event can never bring back old data.
 *
 * <p>On the wire (the record's value, UTF-8 JSON; the record's key is the entity id):
 *
 * <pre>{"type":"track","id":"6rqhFgbbKwnb9MLmUQDhG6","uri":"cadenza:track:6rqhFgbbKwnb9MLmUQDhG6",
 * "op":"upsert","version":1795440000123456,"timestamp":"2026-11-23T13:20:00.123456Z"}</pre>
 *
 * @param version the write's CQL timestamp in microseconds since the epoch (the same value the rows
 *     carry, so "later wins" means the same for the feed and the database); strictly increasing for
 *     the writes of one process
 * @param timestamp {@code version} as an instant, for people
 */
public record CatalogChange(EntityType type, String id, Op op, long version, Instant timestamp) {

  /** The Kafka topic of catalog changes (created at node start from the configured topic list). */
  public static final String TOPIC = "catalog-changes";

  /** What happened to the entity. */
  public enum Op {
    UPSERT,
    DELETE;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public CatalogChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(timestamp, "timestamp");
    if (!Base62Id.isValid(id)) {
      throw new ValidationException("a catalog change needs a base62 id, not " + id);
    }
  }

  /** The change of a write made at {@code versionMicros}. */
  public static CatalogChange of(EntityType type, String id, Op op, long versionMicros) {
    Instant at =
        Instant.ofEpochSecond(
            Math.floorDiv(versionMicros, 1_000_000L),
            Math.floorMod(versionMicros, 1_000_000L) * 1000L);
    return new CatalogChange(type, id, op, versionMicros, at);
  }

  public String uri() {
    return Base62Id.uri(type.wire(), id);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type.wire())
        .put("id", id)
        .put("uri", uri())
        .put("op", op.wire())
        .put("version", version)
        .put("timestamp", timestamp.toString());
  }

  public byte[] toBytes() {
    return toJson().encode().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads an event value.
   *
   * @throws ValidationException when it is not a catalog change
   */
  public static CatalogChange fromBytes(byte[] value) {
    JsonObject json;
    try {
      json = new JsonObject(new String(value, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new ValidationException("a catalog change must be a JSON object");
    }
    return fromJson(json);
  }

  public static CatalogChange fromJson(JsonObject json) {
    try {
      String op = json.getString("op");
      Op parsed =
          switch (op == null ? "" : op) {
            case "upsert" -> Op.UPSERT;
            case "delete" -> Op.DELETE;
            default -> throw new ValidationException("op must be upsert or delete, not " + op);
          };
      Long version = json.getLong("version");
      String timestamp = json.getString("timestamp");
      if (version == null || timestamp == null) {
        throw new ValidationException("a catalog change needs a version and a timestamp");
      }
      return new CatalogChange(
          EntityType.fromWire(json.getString("type")),
          json.getString("id"),
          parsed,
          version,
          Instant.parse(timestamp));
    } catch (ClassCastException | DateTimeParseException e) {
      throw new ValidationException("a catalog change has a field of the wrong type");
    }
  }
}
