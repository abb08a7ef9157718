package io.cadenza.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybackSessionTest {

  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final QueueItem ONE = new QueueItem("i1", "cadenza:track:1", 200_000);
  private static final QueueItem TWO = new QueueItem("i2", "cadenza:track:2", 180_000);
  private static final QueueItem THREE = new QueueItem("i3", "cadenza:track:3", 240_000);
  private static final QueueItem EXTRA = new QueueItem("q1", "cadenza:track:9", 100_000);

  private PlaybackState state = PlaybackState.empty("ada", T0);
  private Instant now = T0;

  @Test
  void playStartsTheChosenItemOnTheDeviceAndThePositionRunsWithTheClock() {
    connect("phone");
    Outcome.Accepted played = ok(play("phone", 1, 10_000));

    assertThat(state.activeDeviceId()).isEqualTo("phone");
    assertThat(state.current()).isEqualTo(TWO);
    assertThat(state.playing()).isTrue();
    assertThat(played.events()).first().isEqualTo(new Event.StateChanged(state.version()));
    assertThat(state.positionAt(now.plusSeconds(5))).isEqualTo(15_000);
    assertThat(state.positionAt(now.plusSeconds(1_000))).isEqualTo(TWO.durationMs());
  }

  @Test
  void withoutAnActiveDeviceACommandIsRefusedWithSpotifysReason() {
    connect("phone");
    assertThat(PlaybackSession.apply(state, new Command.Pause(null), now))
        .isEqualTo(
            new Outcome.Rejected(
                Reason.NO_ACTIVE_DEVICE, "Player command failed: No active device found"));
    assertThat(rejected(play("nobody", 0, 0))).isEqualTo(Reason.DEVICE_NOT_FOUND);
  }

  @Test
  void pauseFreezesThePositionAndResumeGoesOnFromIt() {
    connect("phone");
    ok(play("phone", 0, 0));
    later(30_000);
    ok(new Command.Pause(null));
    later(60_000);
    assertThat(state.positionAt(now)).isEqualTo(30_000);
    assertThat(rejected(new Command.Pause(null))).isEqualTo(Reason.ALREADY_PAUSED);
    ok(new Command.Resume(null));
    later(1_000);
    assertThat(state.positionAt(now)).isEqualTo(31_000);
  }

  @Test
  void seekWhilePlayingRunsOnFromTheNewPosition() {
    connect("phone");
    ok(play("phone", 0, 0));
    later(20_000);
    ok(new Command.Seek(null, 100_000));
    later(2_000);
    assertThat(state.positionAt(now)).isEqualTo(102_000);
    ok(new Command.Seek(null, 999_999));
    assertThat(state.positionAt(now)).isEqualTo(ONE.durationMs());
    assertThat(rejected(new Command.Seek(null, -1))).isEqualTo(Reason.INVALID);
  }

  @Test
  void theQueueComesBeforeTheContextGoesOn() {
    connect("phone");
    ok(play("phone", 0, 0));
    ok(new Command.AddToQueue(null, EXTRA));
    ok(new Command.Next(null));
    assertThat(state.current()).isEqualTo(EXTRA);
    ok(new Command.Next(null));
    assertThat(state.current()).isEqualTo(TWO);
  }

  @Test
  void nextAtTheEndStopsUnlessRepeatContextWrapsAround() {
    connect("phone");
    ok(play("phone", 2, 0));
    assertThat(rejected(new Command.Next(null))).isEqualTo(Reason.NO_NEXT_TRACK);
    ok(new Command.SetRepeat(null, RepeatMode.CONTEXT));
    ok(new Command.Next(null));
    assertThat(state.current()).isEqualTo(ONE);
  }

  @Test
  void previousRestartsAnItemPlayedForMoreThanThreeSeconds() {
    connect("phone");
    ok(play("phone", 1, 0));
    later(10_000);
    ok(new Command.Previous(null));
    assertThat(state.current()).isEqualTo(TWO);
    assertThat(state.positionAt(now)).isZero();
    ok(new Command.Previous(null));
    assertThat(state.current()).isEqualTo(ONE);
  }

  @Test
  void shuffleKeepsTheCurrentItemAndPlaysEveryOtherOnce() {
    connect("phone");
    ok(play("phone", 1, 0));
    ok(new Command.SetShuffle(null, true, 42));
    assertThat(state.order().get(state.orderPosition())).isEqualTo(1);
    assertThat(state.order()).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(state.current()).isEqualTo(TWO);
  }

  @Test
  void transferKeepsPositionAndQueueTellsTheOldDeviceToStopAndWaitsForTheTarget() {
    connect("phone");
    connect("speaker");
    ok(play("phone", 0, 0));
    ok(new Command.AddToQueue(null, EXTRA));
    later(42_000);

    Outcome.Accepted moved = ok(new Command.Transfer("speaker", null));

    assertThat(state.activeDeviceId()).isEqualTo("speaker");
    assertThat(state.positionAt(now)).isEqualTo(42_000);
    assertThat(state.playing()).isTrue();
    assertThat(state.queued()).containsExactly(EXTRA);
    assertThat(moved.events())
        .containsExactly(
            new Event.StateChanged(state.version()),
            new Event.StopPlaying("phone", state.version()));
    assertThat(state.pendingTransfer().deviceId()).isEqualTo("speaker");

    later(500);
    Outcome.Accepted confirmed =
        ok(new Command.Report("speaker", ONE.itemId(), Command.ReportKind.STARTED, 42_450));
    assertThat(state.pendingTransfer()).isNull();
    assertThat(confirmed.events())
        .contains(new Event.TransferConfirmed("speaker", state.version()));
    assertThat(confirmed.events()).anyMatch(e -> e instanceof Event.Listened);
  }

  @Test
  void anUnconfirmedTransferIsReportedAfterItsTimeout() {
    connect("phone");
    connect("speaker");
    ok(play("phone", 0, 0));
    ok(new Command.Transfer("speaker", true));
    later(2_000);
    Outcome.Accepted early = ok(tick());
    assertThat(early.events()).isEmpty();
    later(4_000);
    long before = state.version();
    Outcome.Accepted late = ok(tick());
    assertThat(late.events()).anyMatch(e -> e instanceof Event.TransferUnconfirmed);
    assertThat(state.version()).isEqualTo(before + 1);
    assertThat(state.pendingTransfer().deviceId()).isEqualTo("speaker");
    assertThat(state.pendingTransfer().timedOut()).isTrue();
  }

  @Test
  void aTickWithNothingDueLeavesTheStateAsItIs() {
    connect("phone");
    ok(play("phone", 0, 0));
    ok(new Command.Report("phone", ONE.itemId(), Command.ReportKind.STARTED, 0));
    later(30_000); // the device timeout exactly: not past it yet
    PlaybackState before = state;
    Outcome.Accepted quiet = ok(tick());
    assertThat(quiet.state()).isSameAs(before);
    assertThat(quiet.events()).isEmpty();
    later(1);
    assertThat(ok(tick()).state().device("phone").orElseThrow().online()).isFalse();
  }

  @Test
  void aTimedOutTransferIsToldOnceAndALateReportStillConfirmsIt() {
    connect("phone");
    connect("speaker");
    ok(play("phone", 0, 0));
    ok(new Command.Transfer("speaker", true));
    later(10_000);
    ok(tick());
    long version = state.version();
    later(1_000);
    Outcome.Accepted again = ok(tick());
    assertThat(again.events()).isEmpty();
    assertThat(state.version()).isEqualTo(version);

    Outcome.Accepted confirmed =
        ok(new Command.Report("speaker", ONE.itemId(), Command.ReportKind.STARTED, 11_000));
    assertThat(confirmed.events())
        .contains(new Event.TransferConfirmed("speaker", state.version()));
    assertThat(state.pendingTransfer()).isNull();
  }

  @Test
  void aSilentActiveDeviceGoesOfflineAndPlaybackPausesWhereItWas() {
    connect("phone");
    ok(play("phone", 0, 0));
    ok(new Command.Report("phone", ONE.itemId(), Command.ReportKind.PROGRESS, 0));
    later(40_000);
    ok(tick());
    assertThat(state.device("phone")).hasValueSatisfying(d -> assertThat(d.online()).isFalse());
    assertThat(state.activeDeviceId()).isNull();
    assertThat(state.playing()).isFalse();
    assertThat(state.positionAt(now.plusSeconds(60))).isEqualTo(40_000);
  }

  @Test
  void aCompletedItemMovesOnAndRepeatTrackPlaysItAgain() {
    connect("phone");
    ok(play("phone", 0, 0));
    ok(new Command.Report("phone", ONE.itemId(), Command.ReportKind.COMPLETED, 200_000));
    assertThat(state.current()).isEqualTo(TWO);
    ok(new Command.SetRepeat(null, RepeatMode.TRACK));
    ok(new Command.Report("phone", TWO.itemId(), Command.ReportKind.COMPLETED, 180_000));
    assertThat(state.current()).isEqualTo(TWO);
    assertThat(state.positionAt(now)).isZero();
  }

  @Test
  void reportsFromAnotherDeviceOrAboutAnotherItemAreRefused() {
    connect("phone");
    connect("laptop");
    ok(play("phone", 0, 0));
    assertThat(
            rejected(
                new Command.Report("laptop", ONE.itemId(), Command.ReportKind.PROGRESS, 1_000)))
        .isEqualTo(Reason.NOT_PLAYING_LOCALLY);
    assertThat(
            rejected(new Command.Report("phone", TWO.itemId(), Command.ReportKind.PROGRESS, 1_000)))
        .isEqualTo(Reason.NOT_PLAYING_LOCALLY);
  }

  @Test
  void heartbeatsDoNotChangeTheVersion() {
    connect("phone");
    long version = state.version();
    later(1_000);
    Outcome.Accepted beat = ok(new Command.Heartbeat("phone"));
    assertThat(state.version()).isEqualTo(version);
    assertThat(beat.events()).isEmpty();
    assertThat(state.device("phone").orElseThrow().lastSeen()).isEqualTo(now);
  }

  @Test
  void volumeNeedsADeviceThatTakesIt() {
    connect("phone");
    state =
        ok(new Command.Connect(new Device("tv", "TV", DeviceType.TV, 30, false, true, now)))
            .state();
    ok(play("phone", 0, 0));
    ok(new Command.SetVolume(null, 70));
    assertThat(state.device("phone").orElseThrow().volumePercent()).isEqualTo(70);
    assertThat(rejected(new Command.SetVolume("tv", 70))).isEqualTo(Reason.VOLUME_CONTROL_DISALLOW);
  }

  @Test
  void aRestoredSessionCountsItsOnlineDevicesAsSeenNowAndChangesNothingVisible() {
    connect("phone");
    connect("tv");
    ok(play("phone", 0, 0));
    later(31_000);
    ok(new Command.Heartbeat("phone"));
    ok(tick()); // the silent tv goes offline
    assertThat(state.device("tv").orElseThrow().online()).isFalse();
    PlaybackState before = state;

    later(3_600_000); // the session was away for an hour (a crashed node)
    PlaybackState restored = state.restoredAt(now);

    assertThat(restored.visible()).isEqualTo(before.visible());
    assertThat(restored.device("phone").orElseThrow().lastSeen()).isEqualTo(now);
    assertThat(restored.device("tv").orElseThrow()).isEqualTo(before.device("tv").orElseThrow());
    // The first tick after the restore does not time the phone out.
    state = restored;
    ok(tick());
    assertThat(state.device("phone").orElseThrow().online()).isTrue();
    assertThat(state.activeDeviceId()).isEqualTo("phone");
  }

  // ---- helpers

  private void connect(String id) {
    ok(new Command.Connect(new Device(id, "My " + id, DeviceType.SMARTPHONE, 50, true, true, now)));
  }

  private static Command play(String device, int offset, long position) {
    return new Command.Play(
        device, "cadenza:album:a", List.of(ONE, TWO, THREE), offset, position, 7);
  }

  private static Command tick() {
    return new Command.Tick(Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  private void later(long ms) {
    now = now.plusMillis(ms);
  }

  private Outcome.Accepted ok(Command command) {
    Outcome outcome = PlaybackSession.apply(state, command, now);
    assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
    Outcome.Accepted accepted = (Outcome.Accepted) outcome;
    state = accepted.state();
    return accepted;
  }

  private Reason rejected(Command command) {
    Outcome outcome = PlaybackSession.apply(state, command, now);
    assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
    return ((Outcome.Rejected) outcome).reason();
  }
}
