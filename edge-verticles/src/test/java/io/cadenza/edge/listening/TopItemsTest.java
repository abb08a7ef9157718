package io.cadenza.edge.listening;

import static io.cadenza.edge.listening.Plays.play;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopItemsTest {

  private static final Duration COUNT_AFTER = Duration.ofSeconds(30);

  private static List<String> ids(List<TopItems.Score> scores) {
    return scores.stream().map(TopItems.Score::id).toList();
  }

  @Test
  void morePlaysRankFirst() {
    var ranked =
        TopItems.tracks(
            List.of(
                play("a", 200_000, 1),
                play("b", 60_000, 2),
                play("b", 60_000, 3),
                play("c", 60_000, 4),
                play("c", 60_000, 5),
                play("c", 60_000, 6)),
            COUNT_AFTER);
    assertThat(ids(ranked)).containsExactly("c", "b", "a");
    assertThat(ranked.get(0).plays()).isEqualTo(3);
    assertThat(ranked.get(0).msPlayed()).isEqualTo(180_000);
  }

  @Test
  void playsUnderTheThresholdDoNotCount() {
    var ranked =
        TopItems.tracks(
            List.of(
                play("a", 31_000, 1),
                play("b", 29_999, 2),
                play("b", 29_999, 3),
                play("c", 30_000, 4)),
            COUNT_AFTER);
    assertThat(ids(ranked)).containsExactly("a", "c");
  }

  @Test
  void equalPlaysRankByTimePlayedThenRecencyThenId() {
    var ranked =
        TopItems.tracks(
            List.of(
                play("long", 120_000, 1),
                play("recent", 60_000, 9),
                play("older", 60_000, 5),
                play("y", 60_000, 7),
                play("x", 60_000, 7)),
            COUNT_AFTER);
    assertThat(ids(ranked)).containsExactly("long", "recent", "x", "y", "older");
  }

  @Test
  void eachCountedPlayCreditsEveryArtistOfItsTrackOnce() {
    Map<String, List<String>> artistsOf =
        Map.of(
            "duet", List.of("ann", "bob"),
            "solo", List.of("bob"),
            "twice", List.of("cat", "cat"));
    var ranked =
        TopItems.artists(
            List.of(
                play("duet", 60_000, 1),
                play("solo", 60_000, 2),
                play("solo", 10_000, 3),
                play("twice", 90_000, 4),
                play("unknown", 90_000, 5)),
            COUNT_AFTER,
            artistsOf);
    assertThat(ids(ranked)).containsExactly("bob", "cat", "ann");
    assertThat(ranked.get(0).plays()).isEqualTo(2);
    assertThat(ranked.get(1).plays()).isEqualTo(1);
  }

  @Test
  void timeRangesAreSpotifysWindows() {
    assertThat(TimeRange.parse(null)).isEqualTo(TimeRange.MEDIUM_TERM);
    assertThat(TimeRange.parse("short_term").window()).isEqualTo(Duration.ofDays(28));
    assertThat(TimeRange.parse("medium_term").window()).isEqualTo(Duration.ofDays(182));
    assertThat(TimeRange.parse("long_term").window()).isEqualTo(Duration.ofDays(365));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TimeRange.parse("forever"))
        .hasMessage("Invalid time range");
  }
}
