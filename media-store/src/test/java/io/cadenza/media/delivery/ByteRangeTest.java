package io.cadenza.media.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.media.delivery.ByteRange.Full;
import io.cadenza.media.delivery.ByteRange.Part;
import io.cadenza.media.delivery.ByteRange.Unsatisfiable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

  private static final long SIZE = 10;

  @Test
  void firstByteOnly() {
    assertThat(ByteRange.of("bytes=0-0", SIZE)).isEqualTo(new Part(0, 0));
  }

  @Test
  void closedRange() {
    Part part = (Part) ByteRange.of("bytes=2-5", SIZE);
    assertThat(part).isEqualTo(new Part(2, 5));
    assertThat(part.length()).isEqualTo(4);
    assertThat(part.contentRange(SIZE)).isEqualTo("bytes 2-5/10");
  }

  @Test
  void lastPositionBeyondTheEndIsClipped() {
    assertThat(ByteRange.of("bytes=5-100", SIZE)).isEqualTo(new Part(5, 9));
  }

  @Test
  void openRangeRunsToTheEnd() {
    assertThat(ByteRange.of("bytes=5-", SIZE)).isEqualTo(new Part(5, 9));
  }

  @Test
  void lastByteBySuffix() {
    assertThat(ByteRange.of("bytes=-1", SIZE)).isEqualTo(new Part(9, 9));
  }

  @Test
  void suffixLongerThanTheRepresentationIsAllOfIt() {
    assertThat(ByteRange.of("bytes=-100", SIZE)).isEqualTo(new Part(0, 9));
  }

  @Test
  void openRangeStartingAtTheEndIsUnsatisfiable() {
    assertThat(ByteRange.of("bytes=10-", SIZE)).isInstanceOf(Unsatisfiable.class);
    assertThat(ByteRange.of("bytes=15-", SIZE)).isInstanceOf(Unsatisfiable.class);
    assertThat(ByteRange.Unsatisfiable.contentRange(SIZE)).isEqualTo("bytes */10");
  }

  @Test
  void closedRangeBeyondTheEndIsUnsatisfiable() {
    assertThat(ByteRange.of("bytes=10-20", SIZE)).isInstanceOf(Unsatisfiable.class);
  }

  @Test
  void zeroLengthSuffixIsUnsatisfiable() {
    assertThat(ByteRange.of("bytes=-0", SIZE)).isInstanceOf(Unsatisfiable.class);
  }

  @Test
  void anyRangeOfAnEmptyRepresentationIsUnsatisfiable() {
    assertThat(ByteRange.of("bytes=0-", 0)).isInstanceOf(Unsatisfiable.class);
    assertThat(ByteRange.of("bytes=-5", 0)).isInstanceOf(Unsatisfiable.class);
  }

  @Test
  void unitIsCaseInsensitiveAndSpacesAroundTheRangeAreAllowed() {
    assertThat(ByteRange.of("Bytes = 1-2 ", SIZE)).isEqualTo(new Part(1, 2));
  }

  @Test
  void overflowingNumbersAreClampedNotWrapped() {
    assertThat(ByteRange.of("bytes=0-99999999999999999999999999", SIZE)).isEqualTo(new Part(0, 9));
    assertThat(ByteRange.of("bytes=99999999999999999999999999-", SIZE))
        .isInstanceOf(Unsatisfiable.class);
    assertThat(ByteRange.of("bytes=-99999999999999999999999999", SIZE)).isEqualTo(new Part(0, 9));
    assertThat(ByteRange.of("bytes=9223372036854775807-9223372036854775807", SIZE))
        .isInstanceOf(Unsatisfiable.class);
  }

  @Test
  void leadingZerosAreJustDigits() {
    assertThat(ByteRange.of("bytes=0000000000000000000000003-00000000000000000000000004", SIZE))
        .isEqualTo(new Part(3, 4));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "bytes=9-3", // last before first: invalid, ignored
        "bytes=0-1,3-4", // several ranges: answered whole with 200
        "bytes=-2,0-0",
        "bytes=",
        "bytes=-",
        "bytes=a-b",
        "bytes=1-2-3",
        "bytes=+1-2",
        "bytes=-1-",
        "bytes 0-1",
        "items=0-1", // another unit
        "0-1",
        "",
        "garbage",
        "bytes=0x10-",
        "bytes=1.5-2",
        "bytes=\u0661-\u0662" // non-ASCII digits
      })
  void malformedOrMultipleRangesAreIgnored(String header) {
    assertThat(ByteRange.of(header, SIZE)).isInstanceOf(Full.class);
  }

  @Test
  void overlongHeaderIsIgnored() {
    assertThat(ByteRange.of("bytes=0-" + "1".repeat(5000), SIZE)).isInstanceOf(Full.class);
  }
}
