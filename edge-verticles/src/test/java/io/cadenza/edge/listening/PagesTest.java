package io.cadenza.edge.listening;

import static io.cadenza.edge.listening.Plays.play;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.analytics.ListeningEvent;
import io.cadenza.config.error.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagesTest {

  private static final String URL = "http://node/v1/me/top/tracks";

  @Test
  void aMiddlePageLinksBothWays() {
    JsonObject page =
        Pages.offsetPage(URL, Map.of("time_range", "short_term"), new JsonArray(), 20, 10, 45);
    assertThat(page.getString("href")).isEqualTo(URL + "?offset=20&limit=10&time_range=short_term");
    assertThat(page.getString("next")).isEqualTo(URL + "?offset=30&limit=10&time_range=short_term");
    assertThat(page.getString("previous"))
        .isEqualTo(URL + "?offset=10&limit=10&time_range=short_term");
    assertThat(page.getInteger("total")).isEqualTo(45);
    assertThat(page.getInteger("offset")).isEqualTo(20);
    assertThat(page.getInteger("limit")).isEqualTo(10);
  }

  @Test
  void theEndsHaveNullLinks() {
    JsonObject first = Pages.offsetPage(URL, Map.of(), new JsonArray(), 0, 20, 20);
    assertThat(first.containsKey("next")).isTrue();
    assertThat(first.getValue("next")).isNull();
    assertThat(first.getValue("previous")).isNull();
    JsonObject past = Pages.offsetPage(URL, Map.of(), new JsonArray(), 50, 20, 3);
    assertThat(past.getValue("next")).isNull();
    assertThat(past.getString("previous")).isEqualTo(URL + "?offset=30&limit=20");
  }

  @Test
  void sliceStopsAtTheEnd() {
    assertThat(Pages.slice(List.of(1, 2, 3, 4, 5), 3, 10)).containsExactly(4, 5);
    assertThat(Pages.slice(List.of(1, 2, 3), 7, 10)).isEmpty();
  }

  @Test
  void nullParametersAreLeftOutAndValuesEncoded() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("date", "2026-12-06");
    params.put("country", null);
    params.put("q", "a b&c");
    assertThat(Pages.query(params)).isEqualTo("?date=2026-12-06&q=a+b%26c");
    assertThat(Pages.query(Map.of())).isEmpty();
  }

  @Test
  void aFullCursorPageGoesOnBackInTime() {
    List<ListeningEvent> plays = List.of(play("a", 60_000, 3), play("b", 60_000, 2));
    JsonObject page =
        ListeningApi.cursorPage("http://node/rp", 2, null, null, plays, new JsonArray());
    String newest = Long.toString(plays.get(0).playedAt().toEpochMilli());
    String oldest = Long.toString(plays.get(1).playedAt().toEpochMilli());
    assertThat(page.getJsonObject("cursors"))
        .isEqualTo(new JsonObject().put("after", newest).put("before", oldest));
    assertThat(page.getString("next")).isEqualTo("http://node/rp?limit=2&before=" + oldest);
    assertThat(page.getString("href")).isEqualTo("http://node/rp?limit=2");
  }

  @Test
  void anAfterPageGoesOnForwardAndAShortPageEnds() {
    List<ListeningEvent> plays = List.of(play("a", 60_000, 3), play("b", 60_000, 2));
    String newest = Long.toString(plays.get(0).playedAt().toEpochMilli());
    JsonObject full = ListeningApi.cursorPage("http://node/rp", 2, 5L, null, plays, null);
    assertThat(full.getString("href")).isEqualTo("http://node/rp?limit=2&after=5");
    assertThat(full.getString("next")).isEqualTo("http://node/rp?limit=2&after=" + newest);
    JsonObject shortPage = ListeningApi.cursorPage("http://node/rp", 3, 5L, null, plays, null);
    assertThat(shortPage.getValue("next")).isNull();
    JsonObject empty = ListeningApi.cursorPage("http://node/rp", 3, null, 9L, List.of(), null);
    assertThat(empty.containsKey("cursors")).isTrue();
    assertThat(empty.getValue("cursors")).isNull();
    assertThat(empty.getValue("next")).isNull();
  }

  @Test
  void chartsOrderByPlaysThenTrackId() {
    var ordered = ListeningApi.ordered(Map.of("b", 3L, "a", 3L, "c", 5L, "d", 1L));
    assertThat(ordered.stream().map(ListeningApi.ChartEntry::trackId))
        .containsExactly("c", "a", "b", "d");
  }

  @Test
  void chartDatesAreDaysFrom2000ToTomorrow() {
    LocalDate today = LocalDate.of(2026, 12, 6);
    assertThat(ListeningApi.date(null, today)).isEqualTo(today);
    assertThat(ListeningApi.date("2026-12-01", today)).isEqualTo(LocalDate.of(2026, 12, 1));
    assertThat(ListeningApi.date("2026-12-07", today)).isEqualTo(LocalDate.of(2026, 12, 7));
    assertThatThrownBy(() -> ListeningApi.date("2026-12-08", today))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> ListeningApi.date("1999-12-31", today))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> ListeningApi.date("06/12/2026", today))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Invalid date: expected YYYY-MM-DD");
  }
}
