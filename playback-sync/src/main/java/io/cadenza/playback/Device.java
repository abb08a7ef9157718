package io.cadenza.playback;

import java.time.Instant;
import java.util.Objects;

/**
 * A device of the user's session.
 *
 * @param id the device's own stable id (at most 64 characters)
 * @param name what the user calls it ("Kitchen speaker")
 * @param type its kind
 * @param volumePercent 0 to 100
 * @param canControlVolume whether the device takes volume commands (Spotify's {@code
 *     supports_volume})
 * @param online whether it is connected (heartbeats within the timeout)
 * @param lastSeen the server time of its last message
 */
public record Device(
    String id,
    String name,
    DeviceType type,
    int volumePercent,
    boolean canControlVolume,
    boolean online,
    Instant lastSeen) {

  public static final int MAX_ID_LENGTH = 64;
  public static final int MAX_NAME_LENGTH = 128;

  public Device {
    if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("a device id is 1 to " + MAX_ID_LENGTH + " characters");
    }
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "a device name is 1 to " + MAX_NAME_LENGTH + " characters");
    }
    Objects.requireNonNull(type, "type");
    if (volumePercent < 0 || volumePercent > 100) {
      throw new IllegalArgumentException("volume is 0 to 100: " + volumePercent);
    }
    Objects.requireNonNull(lastSeen, "lastSeen");
  }

  Device withVolume(int percent) {
    return new Device(id, name, type, percent, canControlVolume, online, lastSeen);
  }

  Device seen(Instant at) {
    return new Device(id, name, type, volumePercent, canControlVolume, true, at);
  }

  Device offline() {
    return new Device(id, name, type, volumePercent, canControlVolume, false, lastSeen);
  }
}
