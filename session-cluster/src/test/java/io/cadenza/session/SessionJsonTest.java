package io.cadenza.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.DeviceType;
import io.cadenza.playback.Event;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackSession;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.QueueItem;
import io.cadenza.playback.Reason;
import io.cadenza.playback.RepeatMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SessionJsonTest {

  static final Instant T0 = Instant.parse("2026-11-23T19:30:00.123456789Z");
  static final QueueItem ONE = new QueueItem("i1", "cadenza:track:1", 180_000);
  static final QueueItem TWO = new QueueItem("i2", "cadenza:track:2", 200_000);
  static final Device PHONE =
      new Device("phone", "Phone", DeviceType.SMARTPHONE, 50, true, true, T0);

  static List<Command> everyCommand() {
    return List.of(
        new Command.Connect(PHONE),
        new Command.Heartbeat("phone"),
        new Command.Disconnect("phone"),
        new Command.Play("phone", "cadenza:album:1", List.of(ONE, TWO), 1, 1_000, 42L),
        new Command.Play(null, null, List.of(ONE), 0, 0, -7L),
        new Command.Pause("phone"),
        new Command.Resume(null),
        new Command.Seek("phone", 12_345),
        new Command.Next("phone"),
        new Command.Previous(null),
        new Command.SetShuffle("phone", true, 99L),
        new Command.SetRepeat(null, RepeatMode.TRACK),
        new Command.SetVolume("phone", 70),
        new Command.AddToQueue("phone", TWO),
        new Command.Transfer("laptop", null),
        new Command.Transfer("laptop", Boolean.TRUE),
        new Command.Report("phone", "i1", Command.ReportKind.PROGRESS, 5_000),
        new Command.Tick(Duration.ofSeconds(45), Duration.ofMillis(5_500)));
  }

  static List<Event> everyEvent() {
    return List.of(
        new Event.StateChanged(3),
        new Event.StopPlaying("phone", 4),
        new Event.TransferConfirmed("laptop", 5),
        new Event.TransferUnconfirmed("laptop", T0, 6),
        new Event.Listened(
            "u1",
            "phone",
            "i1",
            "cadenza:track:1",
            null,
            Command.ReportKind.COMPLETED,
            180_000,
            180_000,
            T0.plusMillis(1)));
  }

  /** A state with every field set: devices, items, a shuffled order, a queue, a transfer. */
  static PlaybackState richState() {
    PlaybackState s = PlaybackState.empty("u1", T0);
    s = accepted(PlaybackSession.apply(s, new Command.Connect(PHONE), T0));
    Device laptop = new Device("laptop", "Laptop", DeviceType.COMPUTER, 80, false, true, T0);
    s = accepted(PlaybackSession.apply(s, new Command.Connect(laptop), T0));
    s =
        accepted(
            PlaybackSession.apply(
                s,
                new Command.Play("phone", "cadenza:album:1", List.of(ONE, TWO), 0, 500, 1L),
                T0.plusSeconds(1)));
    s =
        accepted(
            PlaybackSession.apply(s, new Command.SetShuffle(null, true, 5L), T0.plusSeconds(2)));
    s =
        accepted(
            PlaybackSession.apply(
                s, new Command.AddToQueue(null, new QueueItem("q1", "x:1", 1000)), T0));
    s =
        accepted(
            PlaybackSession.apply(
                s, new Command.SetRepeat(null, RepeatMode.CONTEXT), T0.plusSeconds(3)));
    s = accepted(PlaybackSession.apply(s, new Command.Transfer("laptop", null), T0.plusSeconds(4)));
    assertThat(s.pendingTransfer()).isNotNull();
    assertThat(s.queued()).isNotEmpty();
    return s;
  }

  static PlaybackState accepted(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
    return ((Outcome.Accepted) outcome).state();
  }

  @Test
  void everyCommandKindRoundTrips() {
    for (Command command : everyCommand()) {
      assertThat(SessionJson.readCommand(SessionJson.writeCommand(command))).isEqualTo(command);
    }
  }

  @Test
  void theSamplesCoverEveryCommandAndEventKind() {
    assertThat(kinds(everyCommand())).isEqualTo(names(Command.class));
    assertThat(kinds(everyEvent())).isEqualTo(names(Event.class));
  }

  @Test
  void everyEventKindRoundTripsInAChange() {
    PlaybackState state = richState();
    SessionChange change = SessionJson.readChange(SessionJson.writeChange(state, everyEvent()));
    assertThat(change.state()).isEqualTo(state);
    assertThat(change.events()).isEqualTo(everyEvent());
  }

  @Test
  void aFullStateRoundTripsWithNanosecondInstants() {
    PlaybackState state = richState();
    PlaybackState back = SessionJson.readState(SessionJson.writeState(state));
    assertThat(back).isEqualTo(state);
    assertThat(back.positionAt()).isEqualTo(state.positionAt());
    assertThat(SessionJson.readState(SessionJson.writeState(PlaybackState.empty("u2", T0))))
        .isEqualTo(PlaybackState.empty("u2", T0));
  }

  @Test
  void outcomesRoundTrip() {
    Outcome accepted = new Outcome.Accepted(richState(), everyEvent());
    Outcome rejected = new Outcome.Rejected(Reason.VERSION_CONFLICT, "version 3, expected 2");
    assertThat(SessionJson.readOutcome(SessionJson.writeOutcome(accepted))).isEqualTo(accepted);
    assertThat(SessionJson.readOutcome(SessionJson.writeOutcome(rejected))).isEqualTo(rejected);
  }

  @Test
  void typesAreNamedByTheRecordsSimpleName() {
    String json =
        new String(SessionJson.writeCommand(new Command.Pause("phone")), StandardCharsets.UTF_8);
    assertThat(json).contains("\"type\":\"Pause\"").contains("\"deviceId\":\"phone\"");
    String change =
        new String(
            SessionJson.writeChange(
                PlaybackState.empty("u1", T0), List.of(new Event.StateChanged(1))),
            StandardCharsets.UTF_8);
    assertThat(change)
        .contains("\"type\":\"StateChanged\"")
        .contains("2026-11-23T19:30:00.123456789Z");
  }

  @Test
  void badJsonFailsWithAnIllegalArgument() {
    assertThatThrownBy(
            () -> SessionJson.readCommand("{\"type\":\"Nope\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    // The records' own checks still hold: a device id must not be blank.
    assertThatThrownBy(
            () ->
                SessionJson.readCommand(
                    ("{\"type\":\"Connect\",\"device\":{\"id\":\"\",\"name\":\"x\",\"type\":\"WEB\","
                            + "\"volumePercent\":1,\"canControlVolume\":true,\"online\":true,"
                            + "\"lastSeen\":\"2026-01-01T00:00:00Z\"}}")
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Set<String> kinds(List<?> samples) {
    return samples.stream().map(o -> o.getClass().getSimpleName()).collect(Collectors.toSet());
  }

  private static Set<String> names(Class<?> sealedRoot) {
    return Arrays.stream(sealedRoot.getPermittedSubclasses())
        .map(Class::getSimpleName)
        .collect(Collectors.toSet());
  }
}
