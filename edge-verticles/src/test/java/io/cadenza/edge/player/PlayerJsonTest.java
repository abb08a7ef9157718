package io.cadenza.edge.player;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.id.Base62Id;
import io.cadenza.playback.Command;
import io.cadenza.playback.Device;
import io.cadenza.playback.DeviceType;
import io.cadenza.playback.Outcome;
import io.cadenza.playback.PlaybackSession;
import io.cadenza.playback.PlaybackState;
import io.cadenza.playback.QueueItem;
import io.cadenza.playback.RepeatMode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlayerJsonTest {

  private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");
  private static final String BASE = "https://cadenza.example";

  private final FakeCatalog catalog = new FakeCatalog();
  private final PlayerJson json = new PlayerJson(catalog, BASE);
  private PlaybackState state = PlaybackState.empty("ada", T0);
  private Instant now = T0;
  private String album;
  private List<QueueItem> items;

  @BeforeEach
  void aSessionOnTwoDevices() {
    album = catalog.album("blue", 4);
    items = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      String id = Base62Id.named("track:blue:" + i);
      items.add(new QueueItem("item-" + i, Base62Id.uri("track", id), i * 100_000L));
    }
    apply(new Command.Connect(device("phone", DeviceType.SMARTPHONE, true)));
    apply(new Command.Connect(device("kitchen", DeviceType.SPEAKER, false)));
  }

  private static Device device(String id, DeviceType type, boolean volume) {
    return new Device(id, "My " + id, type, 40, volume, true, T0);
  }

  private void apply(Command command) {
    Outcome outcome = PlaybackSession.apply(state, command, now);
    assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
    state = ((Outcome.Accepted) outcome).state();
  }

  private void play(int offset, long position) {
    apply(new Command.Play("phone", Base62Id.uri("album", album), items, offset, position, 1));
  }

  @Test
  void playbackIsSpotifysContextObjectWithTheRunningPositionAndCadenzaFields() {
    play(1, 10_000);
    now = now.plusSeconds(5);
    JsonObject out = json.playback(state, now).result();

    assertThat(out.getJsonObject("device"))
        .isEqualTo(
            new JsonObject()
                .put("id", "phone")
                .put("is_active", true)
                .put("is_private_session", false)
                .put("is_restricted", false)
                .put("name", "My phone")
                .put("type", "Smartphone")
                .put("volume_percent", 40)
                .put("supports_volume", true));
    assertThat(out.getString("repeat_state")).isEqualTo("off");
    assertThat(out.getBoolean("shuffle_state")).isFalse();
    assertThat(out.getLong("timestamp")).isEqualTo(now.toEpochMilli());
    assertThat(out.getLong("progress_ms")).isEqualTo(15_000);
    assertThat(out.getBoolean("is_playing")).isTrue();
    assertThat(out.getJsonObject("item").getString("uri")).isEqualTo(items.get(1).uri());
    assertThat(out.getString("currently_playing_type")).isEqualTo("track");
    assertThat(out.getLong("version")).isEqualTo(state.version());
    assertThat(out.getString("item_id")).isEqualTo("item-2");
    assertThat(out.getJsonObject("context"))
        .isEqualTo(
            new JsonObject()
                .put("type", "album")
                .put("href", BASE + "/v1/albums/" + album)
                .put("external_urls", new JsonObject().put("spotify", BASE + "/album/" + album))
                .put("uri", "cadenza:album:" + album));
    assertThat(out.getJsonObject("actions").getJsonObject("disallows"))
        .isEqualTo(new JsonObject().put("resuming", true));
  }

  @Test
  void pausedStateKeepsItsPositionAndDisallowsPausing() {
    play(0, 0);
    now = now.plusSeconds(7);
    apply(new Command.Pause(null));
    now = now.plusSeconds(60);
    JsonObject out = json.playback(state, now).result();
    assertThat(out.getLong("progress_ms")).isEqualTo(7_000);
    assertThat(out.getBoolean("is_playing")).isFalse();
    assertThat(out.getJsonObject("actions").getJsonObject("disallows").getBoolean("pausing"))
        .isTrue();
  }

  @Test
  void repeatAndLastItemShowInRepeatStateAndSkipping() {
    play(3, 0);
    assertThat(
            json.playback(state, now)
                .result()
                .getJsonObject("actions")
                .getJsonObject("disallows")
                .getBoolean("skipping_next"))
        .isTrue();
    apply(new Command.SetRepeat(null, RepeatMode.CONTEXT));
    JsonObject out = json.playback(state, now).result();
    assertThat(out.getString("repeat_state")).isEqualTo("context");
    assertThat(out.getJsonObject("actions").getJsonObject("disallows").containsKey("skipping_next"))
        .isFalse();
  }

  @Test
  void nothingPlayedRendersNullsNotFailures() {
    JsonObject out = json.playback(state, now).result();
    assertThat(out.getValue("device")).isNull();
    assertThat(out.getValue("item")).isNull();
    assertThat(out.getValue("progress_ms")).isNull();
    assertThat(out.getValue("context")).isNull();
    assertThat(out.getValue("transfer")).isNull();
    assertThat(out.getBoolean("is_playing")).isFalse();
    assertThat(catalog.objectReads).isEmpty();
  }

  @Test
  void aPendingTransferShowsUnconfirmedAndThenTimedOut() {
    play(0, 0);
    apply(new Command.Transfer("kitchen", null));
    JsonObject transfer = json.playback(state, now).result().getJsonObject("transfer");
    assertThat(transfer.getString("device_id")).isEqualTo("kitchen");
    assertThat(transfer.getString("from_device_id")).isEqualTo("phone");
    assertThat(transfer.getLong("requested_at")).isEqualTo(now.toEpochMilli());
    assertThat(transfer.getBoolean("confirmed")).isFalse();
    assertThat(transfer.getBoolean("timed_out")).isFalse();

    now = now.plusSeconds(10);
    apply(new Command.Tick(Duration.ofSeconds(45), Duration.ofSeconds(5)));
    transfer = json.playback(state, now).result().getJsonObject("transfer");
    assertThat(transfer.getBoolean("timed_out")).isTrue();
  }

  @Test
  void devicesListsOnlyOnlineOnesAndMarksTheActive() {
    play(0, 0);
    now = now.plusSeconds(60);
    apply(new Command.Heartbeat("phone"));
    apply(new Command.Tick(Duration.ofSeconds(45), Duration.ofSeconds(5)));
    JsonArray devices = PlayerJson.devices(state).getJsonArray("devices");
    assertThat(devices).hasSize(1);
    assertThat(devices.getJsonObject(0).getString("id")).isEqualTo("phone");
    assertThat(devices.getJsonObject(0).getBoolean("is_active")).isTrue();
    assertThat(devices.getJsonObject(0).getString("type")).isEqualTo("Smartphone");
  }

  @Test
  void queueListsTheUsersQueueFirstThenTheContextInOrder() {
    play(1, 0);
    QueueItem extra = new QueueItem("extra", items.get(0).uri(), 100_000);
    apply(new Command.AddToQueue(null, extra));
    JsonObject out = json.queue(state).result();
    assertThat(out.getJsonObject("currently_playing").getString("uri"))
        .isEqualTo(items.get(1).uri());
    assertThat(out.getJsonArray("queue").stream().map(t -> ((JsonObject) t).getString("uri")))
        .containsExactly(items.get(0).uri(), items.get(2).uri(), items.get(3).uri());
    assertThat(out.getJsonArray("queue_item_ids")).containsExactly("extra", "item-3", "item-4");
    assertThat(out.getString("currently_playing_item_id")).isEqualTo("item-2");
  }

  @Test
  void currentlyPlayingHasTheItemAndProgress() {
    play(2, 1_000);
    JsonObject out = json.currentlyPlaying(state, now).result();
    assertThat(out.getLong("progress_ms")).isEqualTo(1_000);
    assertThat(out.getJsonObject("item").getString("uri")).isEqualTo(items.get(2).uri());
    assertThat(out.containsKey("device")).isFalse();
    assertThat(out.getString("item_id")).isEqualTo("item-3");
  }
}
