package io.cadenza.playback;

import java.util.Objects;

/**
 * One entry of what is to be played: a track and its length. The {@code itemId} is the entry's own
 * stable id, so the same track twice in a queue is two items, and a device can say which one it is
 * playing.
 */
public record QueueItem(String itemId, String uri, long durationMs) {

  public QueueItem {
    if (itemId == null || itemId.isBlank()) {
      throw new IllegalArgumentException("an item needs an id");
    }
    Objects.requireNonNull(uri, "uri");
    if (durationMs <= 0) {
      throw new IllegalArgumentException("an item's duration is positive: " + durationMs);
    }
  }
}
