package io.cadenza.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random sessions: three devices connect, then random commands (also invalid ones: unknown devices,
 * bad offsets, negative positions, reports of other items) arrive while time moves on by random
 * steps. After every command the invariants of {@link PlaybackSession} must hold.
 */
class PlaybackInvariantsTest {

  private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

  /** Stands for the id of whatever item is current when the report is applied. */
  private static final String CURRENT = "CURRENT";

  record Step(long afterMs, Command command) {}

  @Property(tries = 1000, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
  void invariantsHoldAfterEveryCommand(@ForAll("sessions") @Size(max = 60) List<Step> steps) {
    Instant now = START;
    PlaybackState state = PlaybackState.empty("user", now);
    for (String id : List.of("a", "b", "c")) {
      state = accepted(PlaybackSession.apply(state, new Command.Connect(device(id, now)), now));
    }
    for (Step step : steps) {
      now = now.plusMillis(step.afterMs());
      Command command = resolve(step.command(), state);
      Outcome outcome = PlaybackSession.apply(state, command, now);
      if (outcome instanceof Outcome.Accepted a) {
        checkVersion(state, a);
        if (command instanceof Command.Transfer) {
          checkTransfer(state, a.state(), now);
        }
        state = a.state();
      }
      checkState(state, now);
    }
  }

  /** A report naming {@link #CURRENT} names the current item (else it stays a wrong id). */
  private static Command resolve(Command command, PlaybackState state) {
    if (command instanceof Command.Report r
        && CURRENT.equals(r.itemId())
        && state.current() != null) {
      return new Command.Report(r.deviceId(), state.current().itemId(), r.kind(), r.positionMs());
    }
    return command;
  }

  /** The version grows by exactly one with every visible change, and never otherwise. */
  private static void checkVersion(PlaybackState before, Outcome.Accepted after) {
    if (!sameButVersion(before, after.state())) {
      assertThat(after.state().version()).isEqualTo(before.version() + 1);
      assertThat(after.events()).first().isEqualTo(new Event.StateChanged(before.version() + 1));
    } else {
      assertThat(after.state().version()).isEqualTo(before.version());
      assertThat(after.events()).noneMatch(e -> e instanceof Event.StateChanged);
    }
  }

  private static boolean sameButVersion(PlaybackState a, PlaybackState b) {
    return a.visible().equals(copyWithVersion(b.visible(), a.version()));
  }

  private static PlaybackState copyWithVersion(PlaybackState s, long version) {
    return new PlaybackState(
        s.userId(),
        version,
        s.devices(),
        s.activeDeviceId(),
        s.contextUri(),
        s.items(),
        s.order(),
        s.orderPosition(),
        s.queued(),
        s.current(),
        s.positionMs(),
        s.positionAt(),
        s.playing(),
        s.shuffle(),
        s.repeat(),
        s.pendingTransfer());
  }

  private static void checkTransfer(PlaybackState before, PlaybackState after, Instant now) {
    // Position continuity: the target starts exactly where playback stood at the transfer.
    assertThat(after.positionAt(now)).isEqualTo(before.positionAt(now));
    // The queue and the context travel intact.
    assertThat(after.current()).isEqualTo(before.current());
    assertThat(after.items()).isEqualTo(before.items());
    assertThat(after.order()).isEqualTo(before.order());
    assertThat(after.orderPosition()).isEqualTo(before.orderPosition());
    assertThat(after.queued()).isEqualTo(before.queued());
    assertThat(after.contextUri()).isEqualTo(before.contextUri());
  }

  private static void checkState(PlaybackState state, Instant now) {
    // Position within [0, duration] now and later.
    for (long later : new long[] {0, 1, 1_000, 3_600_000}) {
      long position = state.positionAt(now.plusMillis(later));
      assertThat(position).isGreaterThanOrEqualTo(0);
      if (state.current() != null) {
        assertThat(position).isLessThanOrEqualTo(state.current().durationMs());
      } else {
        assertThat(position).isZero();
      }
    }
    // At most one active device, and it is one of the user's online devices.
    if (state.activeDeviceId() != null) {
      assertThat(state.device(state.activeDeviceId()))
          .hasValueSatisfying(d -> assertThat(d.online()).isTrue());
    }
    assertThat(state.devices().stream().map(Device::id).distinct().count())
        .isEqualTo(state.devices().size());
    // The play order is a permutation of the items.
    assertThat(new ArrayList<>(state.order()).stream().sorted().toList())
        .isEqualTo(PlaybackSession.identity(state.items().size()));
    // Playing needs a device that plays.
    if (state.playing()) {
      assertThat(state.activeDeviceId()).isNotNull();
    }
  }

  // ---- generators

  @Provide
  Arbitrary<List<Step>> sessions() {
    // Mostly quick successions, sometimes a minute, now and then ten: devices time out, items end.
    Arbitrary<Long> pause =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 2_000),
            Arbitraries.longs().between(0, 2_000),
            Arbitraries.longs().between(0, 2_000),
            Arbitraries.longs().between(2_000, 60_000),
            Arbitraries.longs().between(60_000, 300_000));
    return Combinators.combine(pause, commands()).as(Step::new).list();
  }

  private Arbitrary<Command> commands() {
    // Mostly the user's devices, now and then an unknown one ("z"); null acts on the active one.
    Arbitrary<String> knownDevice =
        Arbitraries.frequency(
            net.jqwik.api.Tuple.of(6, "a"),
            net.jqwik.api.Tuple.of(6, "b"),
            net.jqwik.api.Tuple.of(6, "c"),
            net.jqwik.api.Tuple.of(1, "z"));
    Arbitrary<String> device = knownDevice.injectNull(0.5);
    Arbitrary<Long> position =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 300_000),
            Arbitraries.longs().between(0, 300_000),
            Arbitraries.longs().between(-1_000, 400_000));
    Arbitrary<Command.ReportKind> kind = Arbitraries.of(Command.ReportKind.class);
    return Arbitraries.oneOf(
        play(device),
        play(device),
        play(device),
        device.map(Command.Pause::new),
        device.map(Command.Resume::new),
        Combinators.combine(device, position).as(Command.Seek::new),
        device.map(Command.Next::new),
        device.map(Command.Previous::new),
        Combinators.combine(device, Arbitraries.of(true, false), Arbitraries.longs())
            .as(Command.SetShuffle::new),
        Combinators.combine(device, Arbitraries.of(RepeatMode.class)).as(Command.SetRepeat::new),
        Combinators.combine(device, Arbitraries.integers().between(-5, 105))
            .as(Command.SetVolume::new),
        Combinators.combine(device, item()).as(Command.AddToQueue::new),
        Combinators.combine(knownDevice, Arbitraries.of(true, false).injectNull(0.4))
            .as(Command.Transfer::new),
        Combinators.combine(
                knownDevice, Arbitraries.of(CURRENT, CURRENT, "other-item"), kind, position)
            .as(Command.Report::new),
        Combinators.combine(knownDevice, Arbitraries.of(CURRENT), kind, position)
            .as(Command.Report::new),
        knownDevice.map(Command.Heartbeat::new),
        knownDevice.map(Command.Heartbeat::new),
        knownDevice.map(Command.Disconnect::new),
        knownDevice.map(id -> new Command.Connect(device(id, START))),
        knownDevice.map(id -> new Command.Connect(device(id, START))),
        tick(),
        tick(),
        tick());
  }

  /** Time passes: devices silent for 20 s to 2 min go offline; transfers wait 1 to 30 s. */
  private static Arbitrary<Command> tick() {
    return Combinators.combine(
            Arbitraries.longs().between(20_000, 120_000),
            Arbitraries.longs().between(1_000, 30_000))
        .as((d, t) -> new Command.Tick(Duration.ofMillis(d), Duration.ofMillis(t)));
  }

  /** Mostly valid plays (an offset within the list); sometimes an empty list or a bad offset. */
  private Arbitrary<Command> play(Arbitrary<String> device) {
    Arbitrary<List<QueueItem>> items =
        Arbitraries.oneOf(
            item().list().ofMinSize(1).ofMaxSize(6),
            item().list().ofMinSize(1).ofMaxSize(6),
            item().list().ofMinSize(1).ofMaxSize(6),
            item().list().ofMaxSize(6));
    return items.flatMap(
        list ->
            Combinators.combine(
                    device,
                    Arbitraries.of("cadenza:album:x", "cadenza:playlist:y").injectNull(0.3),
                    Arbitraries.oneOf(
                        Arbitraries.integers().between(0, Math.max(0, list.size() - 1)),
                        Arbitraries.integers().between(0, Math.max(0, list.size() - 1)),
                        Arbitraries.integers().between(-1, list.size())),
                    Arbitraries.longs().between(-500, 400_000),
                    Arbitraries.longs())
                .as(
                    (d, context, offset, position, seed) ->
                        new Command.Play(d, context, list, offset, position, seed)));
  }

  private Arbitrary<QueueItem> item() {
    return Combinators.combine(
            Arbitraries.strings().alpha().ofLength(8),
            Arbitraries.of("cadenza:track:1", "cadenza:track:2", "cadenza:track:3"),
            Arbitraries.longs().between(1, 300_000))
        .as(QueueItem::new);
  }

  private static Device device(String id, Instant at) {
    return new Device(id, "Device " + id, DeviceType.SMARTPHONE, 50, !id.equals("c"), true, at);
  }

  private static PlaybackState accepted(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
    return ((Outcome.Accepted) outcome).state();
  }
}
