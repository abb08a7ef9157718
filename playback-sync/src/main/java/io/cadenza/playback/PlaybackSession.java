package io.cadenza.playback;

import io.cadenza.playback.Command.ReportKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The session's state machine: {@link #apply} turns a state, a command and the server time into a
 * new state and its events, or a refusal. Pure: no I/O, no clock of its own, no randomness but the
 * seeds commands carry; the same inputs give the same outcome, so every node (and a restarted one)
 * agrees on what a command did.
 *
 * <p>Invariants (checked by property tests): the position stays within the current item; at most
 * one device is active and it is one of the user's online devices; the version grows by exactly one
 * with every visible change and never otherwise; a transfer keeps the position (as it stood at the
 * transfer) and the queue and context unchanged.
 */
public final class PlaybackSession {

  /** Previous within this much of an item's start goes to the previous item, else restarts it. */
  public static final long RESTART_THRESHOLD_MS = 3_000;

  /** The most items a play command or a queue may hold. */
  public static final int MAX_ITEMS = 10_000;

  private PlaybackSession() {}

  /** Applies {@code command} to {@code state} at server time {@code now}. */
  public static Outcome apply(PlaybackState state, Command command, Instant now) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(now, "now");
    if (command instanceof Command.Tick t && !due(state, t, now)) {
      // Most ticks find nothing to do: answered as the draft would, without making one.
      return new Outcome.Accepted(state, List.of());
    }
    Draft d = new Draft(state, now);
    Outcome refused = dispatch(d, command);
    return refused != null ? refused : d.outcome();
  }

  /** Whether a tick at {@code now} times something out. */
  private static boolean due(PlaybackState state, Command.Tick tick, Instant now) {
    for (Device device : state.devices()) {
      if (silent(device, tick.deviceTimeout(), now)) {
        return true;
      }
    }
    return unconfirmed(state.pendingTransfer(), tick.transferTimeout(), now);
  }

  /** An online device not heard of for longer than {@code timeout}. */
  private static boolean silent(Device device, Duration timeout, Instant now) {
    return device.online() && device.lastSeen().plus(timeout).isBefore(now);
  }

  /** A transfer not confirmed within {@code timeout}, and not yet told so. */
  private static boolean unconfirmed(
      PlaybackState.PendingTransfer pending, Duration timeout, Instant now) {
    return pending != null
        && !pending.timedOut()
        && pending.requestedAt().plus(timeout).isBefore(now);
  }

  // Java 17: no pattern matching in switch yet, so an instanceof chain over the sealed commands.
  private static Outcome dispatch(Draft d, Command command) {
    if (command instanceof Command.Connect c) {
      return d.connect(c.device());
    } else if (command instanceof Command.Heartbeat h) {
      return d.heartbeat(h.deviceId());
    } else if (command instanceof Command.Disconnect x) {
      return d.disconnect(x.deviceId());
    } else if (command instanceof Command.Play p) {
      return d.play(p);
    } else if (command instanceof Command.Pause p) {
      return d.pause(p.deviceId());
    } else if (command instanceof Command.Resume r) {
      return d.resume(r.deviceId());
    } else if (command instanceof Command.Seek s) {
      return d.seek(s.deviceId(), s.positionMs());
    } else if (command instanceof Command.Next n) {
      return d.next(n.deviceId());
    } else if (command instanceof Command.Previous p) {
      return d.previous(p.deviceId());
    } else if (command instanceof Command.SetShuffle s) {
      return d.shuffle(s.deviceId(), s.on(), s.seed());
    } else if (command instanceof Command.SetRepeat r) {
      return d.repeat(r.deviceId(), r.mode());
    } else if (command instanceof Command.SetVolume v) {
      return d.volume(v.deviceId(), v.percent());
    } else if (command instanceof Command.AddToQueue q) {
      return d.addToQueue(q.deviceId(), q.item());
    } else if (command instanceof Command.Transfer t) {
      return d.transfer(t.deviceId(), t.play());
    } else if (command instanceof Command.Report r) {
      return d.report(r);
    } else if (command instanceof Command.Tick t) {
      return d.tick(t.deviceTimeout(), t.transferTimeout());
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  /** A mutable copy of a state while a command is applied. */
  private static final class Draft {
    private final PlaybackState before;
    private final Instant now;
    private final List<Event> events = new ArrayList<>();
    private List<Device> devices;
    private String active;
    private String contextUri;
    private List<QueueItem> items;
    private List<Integer> order;
    private int orderPosition;
    private List<QueueItem> queued;
    private QueueItem current;
    private long positionMs;
    private Instant positionAt;
    private boolean playing;
    private boolean shuffle;
    private RepeatMode repeat;
    private PlaybackState.PendingTransfer pending;

    Draft(PlaybackState s, Instant now) {
      this.before = s;
      this.now = now;
      devices = new ArrayList<>(s.devices());
      active = s.activeDeviceId();
      contextUri = s.contextUri();
      items = s.items();
      order = s.order();
      orderPosition = s.orderPosition();
      queued = s.queued();
      current = s.current();
      positionMs = s.positionMs();
      positionAt = s.positionAt();
      playing = s.playing();
      shuffle = s.shuffle();
      repeat = s.repeat();
      pending = s.pendingTransfer();
    }

    /** The new state; its version is one more when anything visible changed. */
    Outcome outcome() {
      PlaybackState draft = build(before.version());
      if (draft.equals(before)) {
        return new Outcome.Accepted(before, events);
      }
      if (draft.visible().equals(before.visible())) {
        return new Outcome.Accepted(draft, events);
      }
      long version = before.version() + 1;
      List<Event> out = new ArrayList<>();
      out.add(new Event.StateChanged(version));
      for (Event e : events) {
        out.add(withVersion(e, version));
      }
      return new Outcome.Accepted(build(version), out);
    }

    private PlaybackState build(long version) {
      return new PlaybackState(
          before.userId(),
          version,
          devices,
          active,
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
          pending);
    }

    private static Event withVersion(Event e, long version) {
      if (e instanceof Event.StopPlaying s) {
        return new Event.StopPlaying(s.deviceId(), version);
      } else if (e instanceof Event.TransferConfirmed c) {
        return new Event.TransferConfirmed(c.deviceId(), version);
      } else if (e instanceof Event.TransferUnconfirmed u) {
        return new Event.TransferUnconfirmed(u.deviceId(), u.requestedAt(), version);
      }
      return e;
    }

    // ---- devices

    Outcome connect(Device device) {
      Device seen = device.seen(now);
      int at = indexOf(device.id());
      if (at >= 0) {
        devices.set(at, seen);
      } else {
        devices.add(seen);
      }
      return null;
    }

    Outcome heartbeat(String deviceId) {
      int at = indexOf(deviceId);
      if (at < 0) {
        return reject(Reason.DEVICE_NOT_FOUND, "Device not found");
      }
      devices.set(at, devices.get(at).seen(now));
      return null;
    }

    Outcome disconnect(String deviceId) {
      int at = indexOf(deviceId);
      if (at < 0) {
        return reject(Reason.DEVICE_NOT_FOUND, "Device not found");
      }
      devices.remove(at);
      leave(deviceId);
      return null;
    }

    /** A device that went away: if it played, playback pauses where it is, with no device. */
    private void leave(String deviceId) {
      if (deviceId.equals(active)) {
        freeze();
        playing = false;
        active = null;
      }
      if (pending != null && pending.deviceId().equals(deviceId)) {
        pending = null;
      }
    }

    // ---- playing

    Outcome play(Command.Play p) {
      String target = p.deviceId() != null ? p.deviceId() : active;
      if (target == null) {
        return reject(Reason.NO_ACTIVE_DEVICE, "Player command failed: No active device found");
      }
      if (!online(target)) {
        return reject(Reason.DEVICE_NOT_FOUND, "Device not found");
      }
      if (p.items().isEmpty() || p.items().size() > MAX_ITEMS) {
        return reject(Reason.INVALID, "Play needs 1 to " + MAX_ITEMS + " items");
      }
      if (p.offset() < 0 || p.offset() >= p.items().size()) {
        return reject(Reason.INVALID, "Invalid offset");
      }
      if (p.positionMs() < 0) {
        return reject(Reason.INVALID, "Invalid position");
      }
      QueueItem first = p.items().get(p.offset());
      contextUri = p.contextUri();
      items = p.items();
      order =
          shuffle ? shuffled(items.size(), p.offset(), p.shuffleSeed()) : identity(items.size());
      orderPosition = order.indexOf(p.offset());
      handOver(target);
      load(first, Math.min(p.positionMs(), first.durationMs()));
      playing = true;
      return null;
    }

    Outcome pause(String deviceId) {
      Outcome refused = controllable(deviceId);
      if (refused != null) {
        return refused;
      }
      if (!playing) {
        return reject(Reason.ALREADY_PAUSED, "Player command failed: Already paused");
      }
      freeze();
      playing = false;
      return null;
    }

    Outcome resume(String deviceId) {
      Outcome refused = controllable(deviceId);
      if (refused != null) {
        return refused;
      }
      if (playing) {
        return reject(Reason.NOT_PAUSED, "Player command failed: Not paused");
      }
      positionAt = now;
      playing = true;
      return null;
    }

    Outcome seek(String deviceId, long position) {
      Outcome refused = controllable(deviceId);
      if (refused != null) {
        return refused;
      }
      if (position < 0) {
        return reject(Reason.INVALID, "Invalid position");
      }
      positionMs = Math.min(position, current.durationMs());
      positionAt = now;
      return null;
    }

    Outcome next(String deviceId) {
      Outcome refused = controllable(deviceId);
      if (refused != null) {
        return refused;
      }
      return advance(false) ? null : reject(Reason.NO_NEXT_TRACK, "No next track");
    }

    Outcome previous(String deviceId) {
      Outcome refused = controllable(deviceId);
      if (refused != null) {
        return refused;
      }
      if (currentPosition() > RESTART_THRESHOLD_MS || orderPosition < 0) {
        load(current, 0);
        return null;
      }
      int back = orderPosition - 1;
      if (back < 0) {
        if (repeat != RepeatMode.CONTEXT) {
          load(current, 0);
          return null;
        }
        back = order.size() - 1;
      }
      orderPosition = back;
      load(items.get(order.get(back)), 0);
      return null;
    }

    /**
     * Moves on after the current item: the queue first, then the context in play order (wrapping
     * with repeat context); {@code natural} (the item ended) repeats it with repeat track. False
     * when there is nothing after it (playback then stops at the end of the current item).
     */
    private boolean advance(boolean natural) {
      if (natural && repeat == RepeatMode.TRACK) {
        load(current, 0);
        return true;
      }
      if (!queued.isEmpty()) {
        QueueItem next = queued.get(0);
        queued = queued.subList(1, queued.size());
        load(next, 0);
        return true;
      }
      int ahead = orderPosition + 1;
      if (ahead >= order.size()) {
        if (repeat != RepeatMode.CONTEXT || order.isEmpty()) {
          return false;
        }
        ahead = 0;
      }
      orderPosition = ahead;
      load(items.get(order.get(ahead)), 0);
      return true;
    }

    Outcome shuffle(String deviceId, boolean on, long seed) {
      Outcome refused = controllable(deviceId);
      if (refused != null) {
        return refused;
      }
      if (on == shuffle) {
        return null;
      }
      shuffle = on;
      if (items.isEmpty()) {
        return null;
      }
      int currentIndex = orderPosition >= 0 ? order.get(orderPosition) : 0;
      order = on ? shuffled(items.size(), currentIndex, seed) : identity(items.size());
      orderPosition = orderPosition >= 0 ? order.indexOf(currentIndex) : -1;
      return null;
    }

    Outcome repeat(String deviceId, RepeatMode mode) {
      Outcome refused = controllable(deviceId);
      if (refused != null) {
        return refused;
      }
      repeat = mode;
      return null;
    }

    Outcome volume(String deviceId, int percent) {
      String target = deviceId != null ? deviceId : active;
      if (target == null) {
        return reject(Reason.NO_ACTIVE_DEVICE, "Player command failed: No active device found");
      }
      int at = indexOf(target);
      if (at < 0 || !devices.get(at).online()) {
        return reject(Reason.DEVICE_NOT_FOUND, "Device not found");
      }
      if (percent < 0 || percent > 100) {
        return reject(Reason.INVALID, "Invalid volume");
      }
      if (!devices.get(at).canControlVolume()) {
        return reject(Reason.VOLUME_CONTROL_DISALLOW, "Cannot control device volume");
      }
      devices.set(at, devices.get(at).withVolume(percent));
      return null;
    }

    Outcome addToQueue(String deviceId, QueueItem item) {
      Outcome refused = controllable(deviceId);
      if (refused != null) {
        return refused;
      }
      if (queued.size() >= MAX_ITEMS) {
        return reject(Reason.INVALID, "The queue is full");
      }
      List<QueueItem> more = new ArrayList<>(queued);
      more.add(item);
      queued = more;
      return null;
    }

    Outcome transfer(String deviceId, Boolean play) {
      if (!online(deviceId)) {
        return reject(Reason.DEVICE_NOT_FOUND, "Device not found");
      }
      boolean wasPlaying = playing;
      handOver(deviceId);
      if (current != null) {
        freeze();
        playing = play != null ? play : wasPlaying;
      }
      return null;
    }

    /**
     * Makes {@code target} the active device; the one that played before is told to stop, and the
     * target is expected to confirm with a report.
     */
    private void handOver(String target) {
      if (target.equals(active)) {
        return;
      }
      if (active != null) {
        events.add(new Event.StopPlaying(active, 0));
      }
      pending = new PlaybackState.PendingTransfer(target, active, now);
      active = target;
    }

    // ---- reports and time

    Outcome report(Command.Report r) {
      if (r.deviceId() == null || !r.deviceId().equals(active) || current == null) {
        return reject(Reason.NOT_PLAYING_LOCALLY, "Not the playing device");
      }
      if (!current.itemId().equals(r.itemId())) {
        return reject(Reason.NOT_PLAYING_LOCALLY, "Not the current item");
      }
      if (r.positionMs() < 0) {
        return reject(Reason.INVALID, "Invalid position");
      }
      int at = indexOf(active);
      devices.set(at, devices.get(at).seen(now));
      if (pending != null && pending.deviceId().equals(active)) {
        events.add(new Event.TransferConfirmed(active, 0));
        pending = null;
      }
      QueueItem item = current;
      long reported = Math.min(r.positionMs(), item.durationMs());
      events.add(
          new Event.Listened(
              before.userId(),
              active,
              item.itemId(),
              item.uri(),
              contextUri,
              r.kind(),
              r.kind() == ReportKind.COMPLETED ? item.durationMs() : reported,
              item.durationMs(),
              now));
      switch (r.kind()) {
        case STARTED, PROGRESS -> {
          positionMs = reported;
          positionAt = now;
          playing = true;
        }
        case PAUSED -> {
          positionMs = reported;
          positionAt = now;
          playing = false;
        }
        case COMPLETED -> {
          if (!advance(true)) {
            load(current, current.durationMs());
            playing = false;
          }
        }
        case SKIPPED -> {
          if (!advance(false)) {
            load(current, current.durationMs());
            playing = false;
          }
        }
      }
      return null;
    }

    Outcome tick(Duration deviceTimeout, Duration transferTimeout) {
      for (int i = 0; i < devices.size(); i++) {
        Device device = devices.get(i);
        if (silent(device, deviceTimeout, now)) {
          devices.set(i, device.offline());
          leave(device.id());
        }
      }
      if (unconfirmed(pending, transferTimeout, now)) {
        // Told once; the transfer stays, marked, until the target reports or another replaces it.
        events.add(new Event.TransferUnconfirmed(pending.deviceId(), pending.requestedAt(), 0));
        pending = pending.timedOutNow();
      }
      return null;
    }

    // ---- helpers

    /** A command for the player: a device to act on, online, and something loaded. */
    private Outcome controllable(String deviceId) {
      if (deviceId != null && !deviceId.equals(active)) {
        if (!online(deviceId)) {
          return reject(Reason.DEVICE_NOT_FOUND, "Device not found");
        }
        handOver(deviceId);
      }
      if (active == null) {
        return reject(Reason.NO_ACTIVE_DEVICE, "Player command failed: No active device found");
      }
      if (current == null) {
        return reject(Reason.NO_SPECIFIC_TRACK, "Player command failed: Nothing to play");
      }
      return null;
    }

    private long currentPosition() {
      return PlaybackState.position(current, positionMs, positionAt, playing, now);
    }

    /** Pins the running position at now. */
    private void freeze() {
      positionMs = currentPosition();
      positionAt = now;
    }

    private void load(QueueItem item, long position) {
      current = item;
      positionMs = position;
      positionAt = now;
    }

    private boolean online(String deviceId) {
      int at = indexOf(deviceId);
      return at >= 0 && devices.get(at).online();
    }

    private int indexOf(String deviceId) {
      if (deviceId == null) {
        return -1;
      }
      for (int i = 0; i < devices.size(); i++) {
        if (devices.get(i).id().equals(deviceId)) {
          return i;
        }
      }
      return -1;
    }

    private static Outcome reject(Reason reason, String message) {
      return new Outcome.Rejected(reason, message);
    }
  }

  /** 0, 1, ..., n - 1. */
  static List<Integer> identity(int n) {
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    return Collections.unmodifiableList(order);
  }

  /** A permutation of 0..n-1 with {@code first} first and the rest shuffled by {@code seed}. */
  static List<Integer> shuffled(int n, int first, long seed) {
    List<Integer> rest = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i != first) {
        rest.add(i);
      }
    }
    Collections.shuffle(rest, new Random(seed));
    List<Integer> order = new ArrayList<>(n);
    order.add(first);
    order.addAll(rest);
    return Collections.unmodifiableList(order);
  }
}
