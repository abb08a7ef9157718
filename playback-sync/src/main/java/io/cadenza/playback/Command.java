package io.cadenza.playback;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What devices and apps ask of a session. A command that names no device acts on the active one.
 * Randomness (the shuffle order) comes in the command, so applying one stays a pure function.
 */
public sealed interface Command {

  /** A device comes online (or again), announcing itself. */
  record Connect(Device device) implements Command {
    public Connect {
      Objects.requireNonNull(device, "device");
    }
  }

  /** A device is still there. */
  record Heartbeat(String deviceId) implements Command {}

  /** A device leaves. */
  record Disconnect(String deviceId) implements Command {}

  /**
   * Starts playing: the items of a context (or loose tracks, {@code contextUri} null), from item
   * {@code offset} of the list at {@code positionMs}, on {@code deviceId} or the active device.
   * {@code shuffleSeed} orders the rest if shuffle is on.
   */
  record Play(
      String deviceId,
      String contextUri,
      List<QueueItem> items,
      int offset,
      long positionMs,
      long shuffleSeed)
      implements Command {
    public Play {
      items = List.copyOf(items);
    }
  }

  /** Pauses. */
  record Pause(String deviceId) implements Command {}

  /** Resumes where it was. */
  record Resume(String deviceId) implements Command {}

  /** Moves to a position of the current item (clamped to its length). */
  record Seek(String deviceId, long positionMs) implements Command {}

  /** The next item: the queue first, then the context. */
  record Next(String deviceId) implements Command {}

  /** The previous item, or the start of this one if more than 3 s have played. */
  record Previous(String deviceId) implements Command {}

  /** Shuffle on or off; {@code seed} orders the items after the current one. */
  record SetShuffle(String deviceId, boolean on, long seed) implements Command {}

  /** Repeat off, context or track. */
  record SetRepeat(String deviceId, RepeatMode mode) implements Command {
    public SetRepeat {
      Objects.requireNonNull(mode, "mode");
    }
  }

  /** A device's volume, 0 to 100. */
  record SetVolume(String deviceId, int percent) implements Command {}

  /** Adds an item to the queue, after the items queued before it. */
  record AddToQueue(String deviceId, QueueItem item) implements Command {
    public AddToQueue {
      Objects.requireNonNull(item, "item");
    }
  }

  /**
   * Moves playback to another device, with the position where it is now and the queue as it is;
   * {@code play} null keeps playing or paused as it was.
   */
  record Transfer(String deviceId, Boolean play) implements Command {
    public Transfer {
      Objects.requireNonNull(deviceId, "deviceId");
    }
  }

  /** What the active device reports of its playing. */
  record Report(String deviceId, String itemId, ReportKind kind, long positionMs)
      implements Command {
    public Report {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** The kinds of {@link Report}. */
  enum ReportKind {
    STARTED,
    PROGRESS,
    PAUSED,
    COMPLETED,
    SKIPPED
  }

  /**
   * Time passes: devices silent for {@code deviceTimeout} go offline (the active one pauses and
   * stops being active), and a transfer unconfirmed for {@code transferTimeout} is reported.
   */
  record Tick(Duration deviceTimeout, Duration transferTimeout) implements Command {}
}
