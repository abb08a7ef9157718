package io.cadenza.catalog.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.catalog.model.EntityType;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CatalogChangeTest {

  static final String ID = Base62Id.named("test:track");

  @Test
  void versionIsTheWritesMicrosecondsAndTheTimestampTheSameInstant() {
    CatalogChange change =
        CatalogChange.of(EntityType.TRACK, ID, CatalogChange.Op.UPSERT, 1_795_440_000_123_456L);
    assertThat(change.timestamp()).isEqualTo(Instant.parse("2026-11-23T13:20:00.123456Z"));
  }

  @Test
  void theWireFormatIsTheDocumentedJson() {
    CatalogChange change =
        CatalogChange.of(EntityType.ALBUM, ID, CatalogChange.Op.DELETE, 1_000_000L);
    JsonObject json = new JsonObject(new String(change.toBytes(), StandardCharsets.UTF_8));
    assertThat(json.fieldNames())
        .containsExactlyInAnyOrder("type", "id", "uri", "op", "version", "timestamp");
    assertThat(json.getString("type")).isEqualTo("album");
    assertThat(json.getString("op")).isEqualTo("delete");
    assertThat(json.getString("uri")).isEqualTo("cadenza:album:" + ID);
    assertThat(json.getLong("version")).isEqualTo(1_000_000L);
    assertThat(json.getString("timestamp")).isEqualTo("1970-01-01T00:00:01Z");
  }

  @Test
  void anEventReadsBackAsItWasWritten() {
    CatalogChange change =
        CatalogChange.of(EntityType.ARTIST, ID, CatalogChange.Op.UPSERT, 1_795_440_000_123_456L);
    assertThat(CatalogChange.fromBytes(change.toBytes())).isEqualTo(change);
  }

  @Test
  void somethingElseOnTheTopicIsAValidationFailure() {
    assertThatThrownBy(() -> CatalogChange.fromBytes("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () ->
                CatalogChange.fromJson(
                    new JsonObject().put("type", "track").put("id", ID).put("op", "merge")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("op");
    assertThatThrownBy(
            () ->
                CatalogChange.fromJson(
                    new JsonObject()
                        .put("type", "track")
                        .put("id", ID)
                        .put("op", "upsert")
                        .put("version", "soon")
                        .put("timestamp", "x")))
        .isInstanceOf(ValidationException.class);
  }
}
