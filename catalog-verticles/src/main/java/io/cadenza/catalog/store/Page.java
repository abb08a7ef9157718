package io.cadenza.catalog.store;

import java.util.List;

/**
 * One page of a list whose size is known (an artist's albums, an album's tracks), in the shape of
 * Spotify's paging object: the items from {@code offset}, at most {@code limit}, of {@code total}.
 */
public record Page<T>(List<T> items, int offset, int limit, int total) {

  public Page {
    items = List.copyOf(items);
  }

  /** Whether items follow this page. */
  public boolean hasNext() {
    return offset + items.size() < total;
  }
}
