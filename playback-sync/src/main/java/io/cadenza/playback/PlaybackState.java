package io.cadenza.playback;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One user's live playback session, as every device of the user sees it.
 *
 * <p>The position is kept as {@code positionMs} at the server time {@code positionAt}: while
 * playing it runs on with the clock ({@link #positionAt(Instant)}), so no one has to send it every
 * second. {@code version} grows by one with every change a device can see (heartbeats move only
 * {@link Device#lastSeen()} and keep it).
 *
 * @param userId whose session
 * @param version strictly increasing with every visible change
 * @param devices the user's devices, in the order they first connected
 * @param activeDeviceId the device that plays, or null
 * @param contextUri the album, playlist or artist being played, or null for loose tracks
 * @param items the context's items in their own order
 * @param order the play order: indexes into {@code items} (a permutation of them; shuffled or not)
 * @param orderPosition the position in {@code order} of the context item last started, -1 before
 *     any
 * @param queued the items the user added to the queue, played before the context goes on
 * @param current the item loaded now (a context item or a queued one), or null
 * @param positionMs the position in {@code current} at {@code positionAt}
 * @param positionAt the server time of {@code positionMs}
 * @param playing whether the position runs on
 * @param shuffle whether {@code order} is shuffled
 * @param repeat the repeat mode
 * @param pendingTransfer a transfer the target device has not confirmed yet (possibly timed out),
 *     or null
 */
public record PlaybackState(
    String userId,
    long version,
    List<Device> devices,
    String activeDeviceId,
    String contextUri,
    List<QueueItem> items,
    List<Integer> order,
    int orderPosition,
    List<QueueItem> queued,
    QueueItem current,
    long positionMs,
    Instant positionAt,
    boolean playing,
    boolean shuffle,
    RepeatMode repeat,
    PendingTransfer pendingTransfer) {

  /**
   * A transfer waiting for the target's first report. It stays after its timeout, marked {@code
   * timedOut}, so every device and the player API can show that the target never confirmed, until
   * the target reports after all (late confirmation), another transfer replaces it, or the target
   * leaves.
   *
   * @param deviceId the target
   * @param fromDeviceId the device that played before, or null
   * @param requestedAt when the transfer was made
   * @param timedOut whether the target let the transfer's timeout pass without reporting
   */
  public record PendingTransfer(
      String deviceId, String fromDeviceId, Instant requestedAt, boolean timedOut) {

    /** A transfer just made, within its timeout. */
    public PendingTransfer(String deviceId, String fromDeviceId, Instant requestedAt) {
      this(deviceId, fromDeviceId, requestedAt, false);
    }

    /** The same transfer, its timeout passed. */
    PendingTransfer timedOutNow() {
      return new PendingTransfer(deviceId, fromDeviceId, requestedAt, true);
    }
  }

  public PlaybackState {
    Objects.requireNonNull(userId, "userId");
    devices = List.copyOf(devices);
    items = List.copyOf(items);
    order = List.copyOf(order);
    queued = List.copyOf(queued);
    Objects.requireNonNull(positionAt, "positionAt");
    Objects.requireNonNull(repeat, "repeat");
    if (order.size() != items.size()) {
      throw new IllegalArgumentException("the play order must cover every item");
    }
    if (orderPosition < -1 || orderPosition >= Math.max(order.size(), 1)) {
      throw new IllegalArgumentException("orderPosition out of range: " + orderPosition);
    }
    if (positionMs < 0 || (current != null && positionMs > current.durationMs())) {
      throw new IllegalArgumentException("position out of the item: " + positionMs);
    }
    if (current == null && (playing || positionMs != 0)) {
      throw new IllegalArgumentException("nothing loaded cannot play or have a position");
    }
  }

  /** A user's session before anything happened. */
  public static PlaybackState empty(String userId, Instant now) {
    return new PlaybackState(
        userId,
        0,
        List.of(),
        null,
        null,
        List.of(),
        List.of(),
        -1,
        List.of(),
        null,
        0,
        now,
        false,
        false,
        RepeatMode.OFF,
        null);
  }

  /**
   * The position in the current item at server time {@code now}: while playing it runs on from
   * {@code positionMs}, never past the item's end; paused, it stays.
   */
  public long positionAt(Instant now) {
    return position(current, positionMs, positionAt, playing, now);
  }

  /** The position rule of {@link #positionAt}, for states still being built. */
  static long position(
      QueueItem current, long positionMs, Instant positionAt, boolean playing, Instant now) {
    if (!playing || current == null) {
      return positionMs;
    }
    long elapsed = Math.max(0, Duration.between(positionAt, now).toMillis());
    return Math.min(current.durationMs(), positionMs + elapsed);
  }

  /** The device that plays, if any. */
  public Optional<Device> activeDevice() {
    return device(activeDeviceId);
  }

  /** One of the user's devices. */
  public Optional<Device> device(String id) {
    if (id == null) {
      return Optional.empty();
    }
    return devices.stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /** What the visible state is: everything but the devices' last-seen times. */
  public PlaybackState visible() {
    return withDevices(
        devices.stream()
            .map(
                d ->
                    new Device(
                        d.id(),
                        d.name(),
                        d.type(),
                        d.volumePercent(),
                        d.canControlVolume(),
                        d.online(),
                        Instant.EPOCH))
            .toList());
  }

  /**
   * The state as a session restored at {@code now} (on start, possibly on another node after a
   * crash) takes it: its online devices count as seen now, so the time the session was away does
   * not time them out; a device really gone times out one device timeout later. Nothing visible
   * changes, the version neither.
   */
  public PlaybackState restoredAt(Instant now) {
    return withDevices(
        devices.stream()
            .map(d -> d.online() && d.lastSeen().isBefore(now) ? d.seen(now) : d)
            .toList());
  }

  private PlaybackState withDevices(List<Device> newDevices) {
    return new PlaybackState(
        userId,
        version,
        newDevices,
        activeDeviceId,
        contextUri,
        items,
        order,
        orderPosition,
        queued,
        current,
        positionMs,
        positionAt,
        playing,
        shuffle,
        repeat,
        pendingTransfer);
  }
}
