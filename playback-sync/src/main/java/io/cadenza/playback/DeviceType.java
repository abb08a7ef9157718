package io.cadenza.playback;

import java.util.Locale;

/** A device's kind, with the names Spotify's device object uses ({@code "Smartphone"}, ...). */
public enum DeviceType {
  COMPUTER("Computer"),
  SMARTPHONE("Smartphone"),
  TABLET("Tablet"),
  SPEAKER("Speaker"),
  TV("TV"),
  AUTOMOBILE("Automobile"),
  GAME_CONSOLE("GameConsole"),
  CAST_AUDIO("CastAudio"),
  WEB("Web"),
  UNKNOWN("Unknown");

  private final String wire;

  DeviceType(String wire) {
    this.wire = wire;
  }

  /** The name in Spotify's device object. */
  public String wire() {
    return wire;
  }

  /** The type a client named, ignoring case; {@link #UNKNOWN} for anything else. */
  public static DeviceType parse(String name) {
    if (name == null) {
      return UNKNOWN;
    }
    String wanted = name.strip().toLowerCase(Locale.ROOT).replace("_", "");
    for (DeviceType type : values()) {
      if (type.wire.toLowerCase(Locale.ROOT).equals(wanted)) {
        return type;
      }
    }
    return UNKNOWN;
  }
}
