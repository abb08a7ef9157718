package io.cadenza.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ListeningEventTest {

  private static final long AT = Instant.parse("2026-12-06T21:15:30.123Z").toEpochMilli();

  @Test
  void aTimeOrderedIdCarriesItsMillisecondVersionAndVariant() {
    UUID id = ListeningEvent.timeOrderedId(AT, "user-1|item-7|trackdone");

    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(AT);
    assertThat(id.version()).isEqualTo(8);
    assertThat(id.variant()).isEqualTo(2);
    // The text form starts with the millisecond in hex, as a version 7 UUID does.
    assertThat(id.toString().replace("-", "")).startsWith(String.format("%012x", AT));
  }

  @Test
  void theSameNameAndTimeGiveTheSameIdAndAnyOtherADifferentOne() {
    UUID id = ListeningEvent.timeOrderedId(AT, "user-1|item-7|trackdone");

    assertThat(ListeningEvent.timeOrderedId(AT, "user-1|item-7|trackdone")).isEqualTo(id);
    assertThat(ListeningEvent.timeOrderedId(AT, "user-1|item-8|trackdone")).isNotEqualTo(id);
    assertThat(ListeningEvent.timeOrderedId(AT + 1, "user-1|item-7|trackdone")).isNotEqualTo(id);
  }

  @Test
  void laterPlaysGetLargerIdsWhateverTheirNames() {
    UUID previous = ListeningEvent.timeOrderedId(AT, "z");
    for (int i = 1; i <= 1_000; i++) {
      UUID next = ListeningEvent.timeOrderedId(AT + i, "name-" + (1_000 - i));
      // Cassandra orders UUIDs of one version by their bytes, unsigned.
      assertThat(
              Long.compareUnsigned(
                  next.getMostSignificantBits(), previous.getMostSignificantBits()))
          .isPositive();
      previous = next;
    }
  }

  @Test
  void givenBitsKeepOnlyTheirOwnPlaces() {
    UUID id = ListeningEvent.timeOrderedId(AT, -1L, -1L);

    assertThat(id.getMostSignificantBits()).isEqualTo(AT << 16 | 0x8FFFL);
    assertThat(id.getLeastSignificantBits()).isEqualTo(0xBFFF_FFFF_FFFF_FFFFL);
    assertThat(ListeningEvent.timeOrderedId(0, 0, 0)).isEqualTo(new UUID(0x8000L, 1L << 63));
  }

  @Test
  void aTimeOutsideFortyEightBitsIsRefused() {
    assertThatThrownBy(() -> ListeningEvent.timeOrderedId(-1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ListeningEvent.timeOrderedId(1L << 48, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
