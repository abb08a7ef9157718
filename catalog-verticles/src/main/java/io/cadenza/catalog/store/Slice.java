package io.cadenza.catalog.store;

import java.util.List;

/**
 * One page of a list too long to count on every read (new releases, a genre's albums): the items
 * from {@code offset}, at most {@code limit}, and whether more follow.
 */
public record Slice<T>(List<T> items, int offset, int limit, boolean hasNext) {

  public Slice {
    items = List.copyOf(items);
  }
}
