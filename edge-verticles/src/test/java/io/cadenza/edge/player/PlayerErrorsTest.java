package io.cadenza.edge.player;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.playback.Outcome;
import io.cadenza.playback.Reason;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlayerErrorsTest {

  @Test
  void noActiveDeviceIsSpotifys404WithItsReason() {
    PlayerException e =
        PlayerErrors.of(
            new Outcome.Rejected(
                Reason.NO_ACTIVE_DEVICE, "Player command failed: No active device found"));
    assertThat(PlayerErrors.body(e))
        .isEqualTo(
            new JsonObject()
                .put(
                    "error",
                    new JsonObject()
                        .put("status", 404)
                        .put("message", "Player command failed: No active device found")
                        .put("reason", "NO_ACTIVE_DEVICE")));
  }

  @Test
  void unknownDeviceIs404() {
    assertThat(PlayerErrors.status(Reason.DEVICE_NOT_FOUND)).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(
      value = Reason.class,
      names = {
        "NO_SPECIFIC_TRACK",
        "NO_PREV_TRACK",
        "NO_NEXT_TRACK",
        "ALREADY_PAUSED",
        "NOT_PAUSED",
        "NOT_PLAYING_LOCALLY",
        "VOLUME_CONTROL_DISALLOW"
      })
  void restrictionsAre403WithTheirReason(Reason reason) {
    PlayerException e = PlayerErrors.of(new Outcome.Rejected(reason, "no"));
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.reason()).isEqualTo(reason.name());
  }

  @Test
  void invalidValuesAre400WithoutAReason() {
    PlayerException e = PlayerErrors.of(new Outcome.Rejected(Reason.INVALID, "Invalid offset"));
    assertThat(e.status()).isEqualTo(400);
    assertThat(PlayerErrors.body(e).getJsonObject("error").containsKey("reason")).isFalse();
  }

  @Test
  void aStaleVersionIs409() {
    PlayerException e = PlayerErrors.of(new Outcome.Rejected(Reason.VERSION_CONFLICT, "moved"));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.reason()).isEqualTo("VERSION_CONFLICT");
  }
}
