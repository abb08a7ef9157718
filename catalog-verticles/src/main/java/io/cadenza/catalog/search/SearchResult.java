package io.cadenza.catalog.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a {@link SearchRequest}: one page per requested item type, in the order the types
 * were requested.
 */
public record SearchResult(Map<ItemType, SearchPage> pages) {

  public SearchResult {
    // Map.copyOf would lose the order.
    pages = Collections.unmodifiableMap(new LinkedHashMap<>(pages));
  }

  /**
   * The page of one type.
   *
   * @throws IllegalArgumentException if the type was not requested
   */
  public SearchPage page(ItemType type) {
    SearchPage page = pages.get(type);
    if (page == null) {
      throw new IllegalArgumentException(type + " was not requested");
    }
    return page;
  }
}
