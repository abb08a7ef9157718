package io.cadenza.edge.listening;

import io.cadenza.analytics.ListeningEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A user's top tracks and artists from their plays: only plays that count ({@code
 * cadenza.listening.count-after}) weigh. Rank: more counted plays first, then more time played (of
 * those plays), then the more recent last play, then the id (so the order is total and the same on
 * every call). An artist is credited with every counted play of each track it is an artist of.
 */
final class TopItems {

  /** One ranked item and what ranked it. */
  record Score(String id, long plays, long msPlayed, Instant lastPlayed) {

    Score add(ListeningEvent play) {
      Instant last = play.playedAt().isAfter(lastPlayed) ? play.playedAt() : lastPlayed;
      return new Score(id, plays + 1, msPlayed + play.msPlayed(), last);
    }

    static Score of(String id, ListeningEvent play) {
      return new Score(id, 1, play.msPlayed(), play.playedAt());
    }
  }

  /** The rank order: plays, time played, recency (all descending), then id. */
  static final Comparator<Score> RANK =
      Comparator.comparingLong(Score::plays)
          .reversed()
          .thenComparing(Comparator.comparingLong(Score::msPlayed).reversed())
          .thenComparing(Comparator.comparing(Score::lastPlayed).reversed())
          .thenComparing(Score::id);

  private TopItems() {}

  /** The tracks of the plays that count, ranked. */
  static List<Score> tracks(List<ListeningEvent> plays, Duration countAfter) {
    Map<String, Score> scores = new HashMap<>();
    for (ListeningEvent play : plays) {
      if (play.counts(countAfter)) {
        scores.merge(play.trackId(), Score.of(play.trackId(), play), (old, one) -> old.add(play));
      }
    }
    return ranked(scores);
  }

  /**
   * The artists of the plays that count, ranked; {@code artistsOf} gives a track's artist ids
   * (tracks it does not know credit no one).
   */
  static List<Score> artists(
      List<ListeningEvent> plays, Duration countAfter, Map<String, List<String>> artistsOf) {
    Map<String, Score> scores = new HashMap<>();
    for (ListeningEvent play : plays) {
      if (!play.counts(countAfter)) {
        continue;
      }
      for (String artist : new LinkedHashSet<>(artistsOf.getOrDefault(play.trackId(), List.of()))) {
        scores.merge(artist, Score.of(artist, play), (old, one) -> old.add(play));
      }
    }
    return ranked(scores);
  }

  private static List<Score> ranked(Map<String, Score> scores) {
    List<Score> out = new ArrayList<>(scores.values());
    out.sort(RANK);
    return out;
  }
}
