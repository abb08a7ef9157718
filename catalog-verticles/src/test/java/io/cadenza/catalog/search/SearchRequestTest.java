package io.cadenza.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.config.error.ValidationException;
import org.junit.jupiter.api.Test;

class SearchRequestTest {

  @Test
  void absentLimitAndOffsetTakeSpotifysDefaults() {
    SearchRequest r = SearchRequest.parse("abba", "track", null, "", null);

    assertThat(r.limit()).isEqualTo(SearchRequest.DEFAULT_LIMIT).isEqualTo(5);
    assertThat(r.offset()).isZero();
    assertThat(r.market()).isNull();
  }

  @Test
  void typesAcceptCaseBlanksPluralsAndRepeats() {
    SearchRequest r = SearchRequest.parse("abba", " Track, ARTISTS,,album,track,", "10", "0", null);

    assertThat(r.types()).containsExactly(ItemType.TRACK, ItemType.ARTIST, ItemType.ALBUM);
  }

  @Test
  void unknownTypeIsAValidationError() {
    assertThatThrownBy(() -> SearchRequest.parse("abba", "track,song", null, null, null))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Bad search type field song");
  }

  @Test
  void missingTypeIsAValidationError() {
    assertThatThrownBy(() -> SearchRequest.parse("abba", " ", null, null, null))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Missing parameter type");
  }

  @Test
  void limitOutsideOneToTenIsAValidationError() {
    assertThat(SearchRequest.parse("abba", "track", "1", null, null).limit()).isEqualTo(1);
    assertThat(SearchRequest.parse("abba", "track", "10", null, null).limit()).isEqualTo(10);
    for (String bad : new String[] {"0", "11", "-1", "ten", "2.5"}) {
      assertThatThrownBy(() -> SearchRequest.parse("abba", "track", bad, null, null))
          .as("limit=%s", bad)
          .isInstanceOf(ValidationException.class)
          .hasMessage("Invalid limit");
    }
  }

  @Test
  void offsetBeyondOneThousandIsAValidationError() {
    assertThat(SearchRequest.parse("abba", "track", "10", "1000", null).offset()).isEqualTo(1000);
    for (String bad : new String[] {"1001", "-1", "x"}) {
      assertThatThrownBy(() -> SearchRequest.parse("abba", "track", null, bad, null))
          .as("offset=%s", bad)
          .isInstanceOf(ValidationException.class)
          .hasMessage("Invalid offset");
    }
  }

  @Test
  void marketIsACountryCodeOrFromToken() {
    assertThat(SearchRequest.parse("abba", "track", null, null, "se").market()).isEqualTo("SE");
    assertThat(SearchRequest.parse("abba", "track", null, null, "FROM_TOKEN").market())
        .isEqualTo("from_token");
    assertThatThrownBy(() -> SearchRequest.parse("abba", "track", null, null, "Sweden"))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Invalid market code");
  }

  @Test
  void everyRuleBreachIsAClientError() {
    assertThatThrownBy(() -> SearchRequest.parse("", "track", null, null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).status()).isEqualTo(400));
  }
}
