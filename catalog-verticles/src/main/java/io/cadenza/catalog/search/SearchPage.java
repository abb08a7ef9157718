package io.cadenza.catalog.search;

import java.util.List;

/**
 * One item type's page of a search, the content of Spotify's paging object.
 *
 * @param items at most {@code limit} hits, best first, starting at {@code offset}
 * @param total the exact number of items matching the query, independent of the page
 * @param limit the page size asked for
 * @param offset the index of the first item
 */
public record SearchPage(List<SearchHit> items, int total, int limit, int offset) {

  public SearchPage {
    items = List.copyOf(items);
  }

  /** A page with nothing in it. */
  public static SearchPage empty(int limit, int offset) {
    return new SearchPage(List.of(), 0, limit, offset);
  }

  /** The ids of the items, in order. */
  public List<String> ids() {
    return items.stream().map(SearchHit::id).toList();
  }
}
