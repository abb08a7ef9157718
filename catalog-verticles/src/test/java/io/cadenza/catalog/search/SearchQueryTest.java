package io.cadenza.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.catalog.search.SearchQuery.Field;
import io.cadenza.catalog.search.SearchQuery.Match;
import io.cadenza.catalog.search.SearchQuery.Tag;
import io.cadenza.catalog.search.SearchQuery.TextPart;
import io.cadenza.catalog.search.SearchQuery.YearRange;
import io.cadenza.config.error.ValidationException;
import org.junit.jupiter.api.Test;

class SearchQueryTest {

  @Test
  void freeTextAndFiltersMixInAnyOrder() {
    SearchQuery q = SearchQuery.parse("remaster track:Doxy artist:Miles Davis");

    assertThat(q.text())
        .containsExactly(new TextPart("remaster", false), new TextPart("Davis", false));
    assertThat(q.filters())
        .containsExactly(new Match(Field.TRACK, "Doxy"), new Match(Field.ARTIST, "Miles"));
  }

  @Test
  void quotedValueKeepsItsBlanks() {
    assertThat(SearchQuery.parse("artist:\"Iron Maiden\" fear").filters())
        .containsExactly(new Match(Field.ARTIST, "Iron Maiden"));
  }

  @Test
  void fieldNamesIgnoreCase() {
    assertThat(SearchQuery.parse("ARTIST:abba Genre:pop").filters())
        .containsExactly(new Match(Field.ARTIST, "abba"), new Match(Field.GENRE, "pop"));
  }

  @Test
  void unknownFieldIsPlainText() {
    SearchQuery q = SearchQuery.parse("mood:happy");

    assertThat(q.filters()).isEmpty();
    assertThat(q.text()).containsExactly(new TextPart("mood happy", false));
  }

  @Test
  void plusIsABlank() {
    SearchQuery q = SearchQuery.parse("iron+maiden+year:1982");

    assertThat(q.text())
        .containsExactly(new TextPart("iron", false), new TextPart("maiden", false));
    assertThat(q.filters()).containsExactly(new YearRange(1982, 1982));
  }

  @Test
  void yearTakesASingleYearOrARangeInEitherOrder() {
    assertThat(SearchQuery.parse("year:1990-1999").filters())
        .containsExactly(new YearRange(1990, 1999));
    assertThat(SearchQuery.parse("year:1999-1990").filters())
        .containsExactly(new YearRange(1990, 1999));
  }

  @Test
  void yearThatIsNotAYearIsPlainText() {
    SearchQuery q = SearchQuery.parse("year:nineties");

    assertThat(q.filters()).isEmpty();
    assertThat(q.text()).containsExactly(new TextPart("year nineties", false));
  }

  @Test
  void valueMayFollowABlankAfterTheColon() {
    assertThat(SearchQuery.parse("artist: Metallica").filters())
        .containsExactly(new Match(Field.ARTIST, "Metallica"));
  }

  @Test
  void filterWithoutAValueIsIgnored() {
    SearchQuery q = SearchQuery.parse("artist: album:Ride track:");

    assertThat(q.filters()).containsExactly(new Match(Field.ALBUM, "Ride"));
    assertThat(q.text()).isEmpty();
  }

  @Test
  void strayQuotesAndColonsAreTolerated() {
    SearchQuery q = SearchQuery.parse("\"iron maiden ab\"c: :: \"");

    assertThat(q.text())
        .containsExactly(new TextPart("iron maiden ab", true), new TextPart("c", false));
    assertThat(q.filters()).isEmpty();
  }

  @Test
  void unterminatedQuoteRunsToTheEnd() {
    assertThat(SearchQuery.parse("album:\"master of puppets").filters())
        .containsExactly(new Match(Field.ALBUM, "master of puppets"));
  }

  @Test
  void tagIsLowerCased() {
    SearchQuery q = SearchQuery.parse("tag:NEW");

    assertThat(q.filters()).containsExactly(new Tag("new"));
    assertThat(((Tag) q.filters().get(0)).isNew()).isTrue();
  }

  @Test
  void queryOfTheMaximumLengthIsAccepted() {
    assertThat(SearchQuery.parse("é".repeat(SearchQuery.MAX_LENGTH)).text()).hasSize(1);
  }

  @Test
  void longerQueryIsAValidationError() {
    assertThatThrownBy(() -> SearchQuery.parse("a".repeat(SearchQuery.MAX_LENGTH + 1)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("256");
  }

  @Test
  void blankQueryIsAValidationError() {
    assertThatThrownBy(() -> SearchQuery.parse("  "))
        .isInstanceOf(ValidationException.class)
        .hasMessage("No search query");
    assertThatThrownBy(() -> SearchQuery.parse(null)).isInstanceOf(ValidationException.class);
  }
}
