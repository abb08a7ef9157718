package io.cadenza.edge.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.DeviceType;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackSession;
import io.cadenza.playback.PlaybackState;
import io.cadenza.session.SessionChange;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionChangeCodecTest {

  private final SessionChangeCodec codec = new SessionChangeCodec();

  private static SessionChange change() {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");
    Outcome.Accepted connected =
        (Outcome.Accepted)
            PlaybackSession.apply(
                PlaybackState.empty("u1", now),
                new Command.Connect(
                    new Device("phone", "Phone", DeviceType.SMARTPHONE, 40, true, true, now)),
                now);
    return new SessionChange(connected.state(), connected.events());
  }

  @Test
  void otherNodesGetTheChangeBackFromTheWireAfterWhateverCameBefore() {
    SessionChange change = change();
    Buffer wire = Buffer.buffer("header");
    codec.encodeToWire(wire, change);
    wire.appendString("trailer");
    assertThat(codec.decodeFromWire("header".length(), wire)).isEqualTo(change);
  }

  @Test
  void thisNodesConsumersGetTheObjectItself() {
    SessionChange change = change();
    assertThat(codec.transform(change)).isSameAs(change);
  }
}
