package io.cadenza.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.config.error.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanRangeTest {

  @Test
  void splitPartsAreAdjacentAndCoverTheWholeRing() {
    List<ScanRange> parts = ScanRange.all().split(7);
    assertThat(parts).hasSize(7);
    assertThat(parts.get(0).fromExclusive()).isEqualTo(Long.MIN_VALUE);
    assertThat(parts.get(6).toInclusive()).isEqualTo(Long.MAX_VALUE);
    for (int i = 1; i < parts.size(); i++) {
      assertThat(parts.get(i).fromExclusive()).isEqualTo(parts.get(i - 1).toInclusive());
    }
  }

  @Test
  void aNarrowRangeSplitsIntoNoEmptyParts() {
    List<ScanRange> parts = new ScanRange(0, 3).split(10);
    assertThat(parts).extracting(ScanRange::toInclusive).containsExactly(1L, 2L, 3L);
  }

  @Test
  void anEmptyRangeIsRefused() {
    assertThatThrownBy(() -> new ScanRange(5, 5)).isInstanceOf(ValidationException.class);
  }
}
