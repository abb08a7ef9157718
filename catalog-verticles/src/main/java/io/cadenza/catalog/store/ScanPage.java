package io.cadenza.catalog.store;

import java.util.List;
import java.util.Optional;

/** One step of a full scan: the rows read, and the rest of the range when some may remain. */
public record ScanPage<T>(List<T> items, Optional<ScanRange> next) {

  public ScanPage {
    items = List.copyOf(items);
  }
}
