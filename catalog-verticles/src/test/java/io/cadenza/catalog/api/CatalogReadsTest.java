package io.cadenza.catalog.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.config.error.ValidationException;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class CatalogReadsTest {

  private static final String ID = "11dFghVXANMlKmJXsNCbNl";

  @Test
  void idsKeepOrderAndRepeats() {
    assertThat(CatalogReads.parseIds(ID + ",0OdUWJ0sBjDrqHygGUXeCF," + ID, 50))
        .containsExactly(ID, "0OdUWJ0sBjDrqHygGUXeCF", ID);
  }

  @Test
  void malformedIdInListIsInvalidBase62() {
    assertThatThrownBy(() -> CatalogReads.parseIds(ID + ",nope", 50))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Invalid base62 id");
  }

  @Test
  void moreIdsThanTheMaximumAreRefused() {
    String ids = String.join(",", Collections.nCopies(21, ID));
    assertThatThrownBy(() -> CatalogReads.parseIds(ids, 20))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Too many ids");
  }

  @Test
  void emptyIdsAreRefused() {
    assertThatThrownBy(() -> CatalogReads.parseIds("", 50)).isInstanceOf(ValidationException.class);
  }

  @Test
  void includeGroupsAcceptsSpotifyValuesOnly() {
    CatalogReads.checkGroups("album,single,appears_on,compilation");
    assertThatThrownBy(() -> CatalogReads.checkGroups("album,bootleg"))
        .isInstanceOf(ValidationException.class);
  }
}
