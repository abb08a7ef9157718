package io.cadenza.edge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cadenza.playback.Command;
import io.cadenza.playback.DeviceType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramesTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void framesAreEncodedAsTheirJsonObjectsWouldBe() {
    var state =
        new JsonObject()
            .put("version", 7L)
            .put("is_playing", true)
            .put("progress_ms", 1234)
            .put("item", new JsonObject().put("name", "Zoë \"quoted\" ♫"))
            .put("device", (Object) null)
            .put("actions", new JsonArray().add("pause").add(new JsonObject()));
    var frame = Frames.state(state);
    String text = Frames.encode(frame);
    assertEquals(frame.encode(), text);
    assertEquals(frame, new JsonObject(text));
  }

  @Test
  void helloAnnouncesTheDeviceWithDefaults() {
    var hello =
        assertInstanceOf(
            ClientFrame.Hello.class,
            Frames.parse(
                "{\"type\":\"hello\",\"device\":{\"id\":\"phone-1\",\"name\":\" Phone \","
                    + "\"type\":\"smartphone\",\"extra\":1}}",
                NOW));
    assertEquals("phone-1", hello.device().id());
    assertEquals("Phone", hello.device().name());
    assertEquals(DeviceType.SMARTPHONE, hello.device().type());
    assertEquals(100, hello.device().volumePercent());
    assertTrue(hello.device().canControlVolume());
    assertTrue(hello.device().online());
    assertEquals(NOW, hello.device().lastSeen());
  }

  @Test
  void commandsCarryTheirIdArgsAndExpectedVersion() {
    var command =
        assertInstanceOf(
            ClientFrame.CommandFrame.class,
            Frames.parse(
                "{\"type\":\"command\",\"id\":7,\"name\":\"seek\",\"args\":{\"position_ms\":5000},"
                    + "\"expected_version\":12}",
                NOW));
    assertEquals("7", command.id());
    assertEquals("seek", command.name());
    assertEquals(5000, command.args().getInteger("position_ms"));
    assertEquals(12, command.expectedVersion().getAsLong());

    var bare =
        assertInstanceOf(
            ClientFrame.CommandFrame.class,
            Frames.parse("{\"type\":\"command\",\"id\":\"a\",\"name\":\"pause\"}", NOW));
    assertTrue(bare.args().isEmpty());
    assertFalse(bare.expectedVersion().isPresent());
  }

  @Test
  void reportsAndTimeSyncs() {
    var report =
        assertInstanceOf(
            ClientFrame.Report.class,
            Frames.parse(
                "{\"type\":\"report\",\"reason\":\"progress\",\"item_id\":\"i1\","
                    + "\"position_ms\":1234,\"is_playing\":true,\"client_time\":5}",
                NOW));
    assertEquals(Command.ReportKind.PROGRESS, report.kind());
    assertEquals(1234, report.positionMs());
    var sync =
        assertInstanceOf(
            ClientFrame.TimeSync.class, Frames.parse("{\"type\":\"time_sync\",\"t0\":17.5}", NOW));
    assertEquals(17.5, sync.t0());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        "\"text\"",
        "null",
        "{}",
        "{\"type\":3}",
        "{\"type\":\"hello\"}",
        "{\"type\":\"hello\",\"device\":{\"id\":\"\",\"name\":\"x\"}}",
        "{\"type\":\"hello\",\"device\":{\"id\":\"a\",\"name\":\"x\",\"volume_percent\":101}}",
        "{\"type\":\"hello\",\"device\":{\"id\":\"a\",\"name\":\"x\",\"supports_volume\":\"no\"}}",
        "{\"type\":\"command\",\"name\":\"pause\"}",
        "{\"type\":\"command\",\"id\":1,\"name\":\"explode\"}",
        "{\"type\":\"command\",\"id\":1,\"name\":\"pause\",\"args\":[1]}",
        "{\"type\":\"command\",\"id\":1,\"name\":\"pause\",\"expected_version\":-1}",
        "{\"type\":\"command\",\"id\":1,\"name\":\"pause\",\"expected_version\":\"3\"}",
        "{\"type\":\"report\",\"reason\":\"loved\",\"item_id\":\"i\",\"position_ms\":1}",
        "{\"type\":\"report\",\"reason\":\"started\",\"position_ms\":1}",
        "{\"type\":\"report\",\"reason\":\"started\",\"item_id\":\"i\",\"position_ms\":-1}",
        "{\"type\":\"time_sync\"}",
      })
  void badFramesAreRefusedWithAMessage(String text) {
    FrameException e = assertThrows(FrameException.class, () -> Frames.parse(text, NOW));
    assertEquals(400, e.status());
    assertEquals(Frames.BAD_FRAME, e.reason());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void unknownTypesAreNamedAndTheCommandIdEchoed() {
    FrameException e =
        assertThrows(
            FrameException.class, () -> Frames.parse("{\"type\":\"dance\",\"id\":\"c9\"}", NOW));
    assertEquals(Frames.UNKNOWN_TYPE, e.reason());
    assertEquals("c9", e.id());
    FrameException noId =
        assertThrows(FrameException.class, () -> Frames.parse("{\"type\":\"dance\"}", NOW));
    assertNull(noId.id());
  }

  @Test
  void serverFramesHaveTheirTypes() {
    assertEquals("ack", Frames.ack("1", 4).getString("type"));
    assertEquals(4, Frames.ack("1", 4).getLong("version"));
    var error = Frames.error(null, 404, "DEVICE_NOT_FOUND", "Device not found");
    assertFalse(error.containsKey("id"));
    assertEquals(404, error.getInteger("status"));
    var sync = Frames.timeSync(1.5, 10, 11);
    assertEquals(10, sync.getLong("t1"));
    assertEquals(11, sync.getLong("t2"));
  }
}
