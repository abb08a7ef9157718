package io.cadenza.edge.player;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.error.NotFoundException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.cadenza.playback.Command;
import io.cadenza.playback.QueueItem;
import io.cadenza.playback.RepeatMode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlayerCommandsTest {

  private final FakeCatalog catalog = new FakeCatalog();
  private final AtomicLong seeds = new AtomicLong(100);
  private final PlayerCommands commands =
      new PlayerCommands(catalog, () -> UUID.randomUUID().toString(), seeds::incrementAndGet);
  private String album;
  private String artist;

  @BeforeEach
  void catalog() {
    album = catalog.album("kind-of-blue", 5);
    artist = Base62Id.named("artist:kind-of-blue");
  }

  private Command ok(String name, JsonObject args) {
    Future<Command> command = commands.command(name, args);
    assertThat(command.failed()).as(() -> String.valueOf(command.cause())).isFalse();
    return command.result();
  }

  private Throwable failure(String name, JsonObject args) {
    Future<Command> command = commands.command(name, args);
    assertThat(command.failed()).as("%s %s should fail", name, args).isTrue();
    return command.cause();
  }

  private String track(int n) {
    return "spotify:track:" + Base62Id.named("track:kind-of-blue:" + n);
  }

  @Test
  void playAnAlbumLoadsItsTracksWithDurationsFromTheOffset() {
    Command.Play play =
        (Command.Play)
            ok(
                "play",
                new JsonObject()
                    .put("context_uri", "spotify:album:" + album)
                    .put("offset", new JsonObject().put("position", 2))
                    .put("position_ms", 1500)
                    .put("device_id", "phone"));
    assertThat(play.contextUri()).isEqualTo("cadenza:album:" + album);
    assertThat(play.items()).hasSize(5);
    assertThat(play.items().get(2).uri()).isEqualTo(track(3).replace("spotify:", "cadenza:"));
    assertThat(play.items().get(2).durationMs()).isEqualTo(300_000);
    assertThat(play.offset()).isEqualTo(2);
    assertThat(play.positionMs()).isEqualTo(1500);
    assertThat(play.deviceId()).isEqualTo("phone");
  }

  @Test
  void offsetByUriStartsAtThatTrack() {
    Command.Play play =
        (Command.Play)
            ok(
                "play",
                new JsonObject()
                    .put("context_uri", "cadenza:album:" + album)
                    .put("offset", new JsonObject().put("uri", track(4))));
    assertThat(play.offset()).isEqualTo(3);
  }

  @Test
  void anArtistPlaysItsTopTracks() {
    Command.Play play =
        (Command.Play) ok("play", new JsonObject().put("context_uri", "spotify:artist:" + artist));
    assertThat(play.items()).hasSize(5);
    assertThat(play.contextUri()).isEqualTo("cadenza:artist:" + artist);
  }

  @Test
  void looseTracksKeepTheirOrderAndRepeatsAreTwoItemsWithTheirOwnIds() {
    Command.Play play =
        (Command.Play)
            ok(
                "play",
                new JsonObject()
                    .put("uris", new JsonArray().add(track(2)).add(track(1)).add(track(2))));
    assertThat(play.contextUri()).isNull();
    assertThat(play.items())
        .extracting(QueueItem::durationMs)
        .containsExactly(200_000L, 100_000L, 200_000L);
    assertThat(new HashSet<>(play.items().stream().map(QueueItem::itemId).toList())).hasSize(3);
  }

  @Test
  void eachPlayGetsItsOwnShuffleSeed() {
    JsonObject args = new JsonObject().put("uris", new JsonArray().add(track(1)));
    long first = ((Command.Play) ok("play", args)).shuffleSeed();
    long second = ((Command.Play) ok("play", args)).shuffleSeed();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void playWithoutAnythingResumes() {
    assertThat(ok("play", null)).isEqualTo(new Command.Resume(null));
    assertThat(ok("play", new JsonObject().put("device_id", "tv")))
        .isEqualTo(new Command.Resume("tv"));
  }

  @Test
  void unknownAlbumArtistOrTrackIsNotFoundNamingIt() {
    String unknown = Base62Id.named("nothing");
    assertThat(failure("play", new JsonObject().put("context_uri", "spotify:album:" + unknown)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("album");
    assertThat(failure("play", new JsonObject().put("context_uri", "spotify:artist:" + unknown)))
        .isInstanceOf(NotFoundException.class);
    assertThat(
            failure(
                "play",
                new JsonObject()
                    .put("uris", new JsonArray().add(track(1)).add("spotify:track:" + unknown))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown);
    assertThat(failure("queue_add", new JsonObject().put("uri", "spotify:track:" + unknown)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void playlistsAreRefusedSayingTheyDoNotExistYet() {
    assertThat(
            failure(
                "play",
                new JsonObject().put("context_uri", "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Playlists are not available");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"context_uri\":\"spotify:album:short\"}",
        "{\"context_uri\":\"album:x\"}",
        "{\"context_uri\":42}",
        "{\"context_uri\":\"spotify:track:4iV5W9uYEdYUVa79Axb7Rh\"}",
        "{\"context_uri\":\"spotify:show:4iV5W9uYEdYUVa79Axb7Rh\"}",
        "{\"uris\":[]}",
        "{\"uris\":\"spotify:track:4iV5W9uYEdYUVa79Axb7Rh\"}",
        "{\"uris\":[\"spotify:album:4iV5W9uYEdYUVa79Axb7Rh\"]}",
        "{\"uris\":[1]}",
        "{\"position_ms\":-1,\"uris\":[\"spotify:track:4iV5W9uYEdYUVa79Axb7Rh\"]}",
        "{\"position_ms\":\"soon\",\"uris\":[\"spotify:track:4iV5W9uYEdYUVa79Axb7Rh\"]}",
        "{\"offset\":{\"position\":1}}",
        "{\"offset\":5,\"uris\":[\"spotify:track:4iV5W9uYEdYUVa79Axb7Rh\"]}",
        "{\"device_id\":\"\"}",
        "{\"device_id\":7}"
      })
  void malformedPlayArgumentsAreBadRequests(String args) {
    assertThat(failure("play", new JsonObject(args))).isInstanceOf(ValidationException.class);
  }

  @Test
  void anOffsetPastTheEndOrNotInTheContextIsABadRequest() {
    String context = "spotify:album:" + album;
    assertThat(
            failure(
                "play",
                new JsonObject()
                    .put("context_uri", context)
                    .put("offset", new JsonObject().put("position", 5))))
        .isInstanceOf(ValidationException.class);
    assertThat(
            failure(
                "play",
                new JsonObject()
                    .put("context_uri", context)
                    .put("offset", new JsonObject().put("uri", "spotify:track:" + album))))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void queryStringsAreTakenForNumbersAndBooleans() {
    assertThat(ok("seek", new JsonObject().put("position_ms", "25000")))
        .isEqualTo(new Command.Seek(null, 25_000));
    assertThat(((Command.SetShuffle) ok("shuffle", new JsonObject().put("state", "true"))).on())
        .isTrue();
    assertThat(((Command.SetShuffle) ok("shuffle", new JsonObject().put("state", "False"))).on())
        .isFalse();
    assertThat(ok("volume", new JsonObject().put("volume_percent", "40")))
        .isEqualTo(new Command.SetVolume(null, 40));
    assertThat(ok("repeat", new JsonObject().put("state", "context").put("device_id", "tv")))
        .isEqualTo(new Command.SetRepeat("tv", RepeatMode.CONTEXT));
  }

  @Test
  void outOfRangeOrMissingValuesAreBadRequests() {
    assertThat(failure("seek", new JsonObject())).hasMessageContaining("position_ms");
    assertThat(failure("seek", new JsonObject().put("position_ms", -5)))
        .isInstanceOf(ValidationException.class);
    assertThat(failure("volume", new JsonObject().put("volume_percent", 101)))
        .isInstanceOf(ValidationException.class);
    assertThat(failure("shuffle", new JsonObject().put("state", "yes")))
        .isInstanceOf(ValidationException.class);
    assertThat(failure("repeat", new JsonObject().put("state", "forever")))
        .isInstanceOf(ValidationException.class);
    assertThat(failure("queue_add", new JsonObject().put("uri", "spotify:album:" + album)))
        .isInstanceOf(ValidationException.class);
    assertThat(failure("dance", new JsonObject())).hasMessageContaining("Unknown command");
  }

  @Test
  void transferTakesExactlyOneDeviceId() {
    assertThat(
            ok(
                "transfer",
                new JsonObject().put("device_ids", new JsonArray().add("tv")).put("play", true)))
        .isEqualTo(new Command.Transfer("tv", true));
    assertThat(ok("transfer", new JsonObject().put("device_id", "tv")))
        .isEqualTo(new Command.Transfer("tv", null));
    for (JsonArray ids : List.of(new JsonArray(), new JsonArray().add("a").add("b"))) {
      assertThat(failure("transfer", new JsonObject().put("device_ids", ids)))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("exactly one");
    }
    assertThat(failure("transfer", new JsonObject())).isInstanceOf(ValidationException.class);
  }

  @Test
  void queueAddMakesAFreshItemOfTheTrack() {
    Command.AddToQueue add =
        (Command.AddToQueue) ok("queue_add", new JsonObject().put("uri", track(3)));
    Command.AddToQueue again =
        (Command.AddToQueue) ok("queue_add", new JsonObject().put("uri", track(3)));
    assertThat(add.item().uri()).isEqualTo(again.item().uri());
    assertThat(add.item().durationMs()).isEqualTo(300_000);
    assertThat(add.item().itemId()).isNotEqualTo(again.item().itemId());
  }
}
