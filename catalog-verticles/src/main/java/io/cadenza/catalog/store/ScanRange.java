package io.cadenza.catalog.store;

import io.cadenza.config.error.ValidationException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A stretch of the partitioner's token ring (Murmur3, as both ScyllaDB and Cassandra use by
 * default): the rows whose partition key hashes to a token in {@code (fromExclusive, toInclusive]}.
 * A full scan starts from {@link #all()} (or the parts of {@link #split}, read in parallel) and
 * follows {@link ScanPage#next()} until it is empty; each step is one bounded query, so a scan
 * holds no server-side cursor and can resume from any page.
 */
public record ScanRange(long fromExclusive, long toInclusive) {

  public ScanRange {
    if (fromExclusive >= toInclusive) {
      throw new ValidationException("a scan range must not be empty");
    }
  }

  /** The whole ring (Murmur3 never gives a key the minimum token). */
  public static ScanRange all() {
    return new ScanRange(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** This range cut into {@code parts} adjacent ranges of (nearly) equal width. */
  public List<ScanRange> split(int parts) {
    if (parts < 1 || parts > 4096) {
      throw new ValidationException("a scan range splits into 1 to 4096 parts");
    }
    BigInteger from = BigInteger.valueOf(fromExclusive);
    BigInteger width = BigInteger.valueOf(toInclusive).subtract(from);
    List<ScanRange> ranges = new ArrayList<>(parts);
    long start = fromExclusive;
    for (int i = 1; i <= parts; i++) {
      long end =
          i == parts
              ? toInclusive
              : from.add(width.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(parts)))
                  .longValueExact();
      if (end > start) {
        ranges.add(new ScanRange(start, end));
        start = end;
      }
    }
    return ranges;
  }
}
