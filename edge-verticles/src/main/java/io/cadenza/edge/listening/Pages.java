package io.cadenza.edge.listening;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Spotify's paging objects: offset pages and the cursor pages of recently played. */
final class Pages {

  private Pages() {}

  /** One page of {@code all}: the items from {@code offset}, at most {@code limit}. */
  static <T> List<T> slice(List<T> all, int offset, int limit) {
    int from = Math.min(offset, all.size());
    return all.subList(from, Math.min(all.size(), from + limit));
  }

  /**
   * Spotify's paging object: {@code href} (this page), {@code items}, {@code limit}, {@code next}
   * and {@code previous} (null at the ends), {@code offset}, {@code total}. {@code params} are the
   * request's other query parameters, kept in every link.
   */
  static JsonObject offsetPage(
      String url, Map<String, String> params, JsonArray items, int offset, int limit, int total) {
    String next = offset + limit < total ? link(url, offset + limit, limit, params) : null;
    String previous = offset > 0 ? link(url, Math.max(0, offset - limit), limit, params) : null;
    return new JsonObject()
        .put("href", link(url, offset, limit, params))
        .put("items", items)
        .put("limit", limit)
        .put("next", next)
        .put("offset", offset)
        .put("previous", previous)
        .put("total", total);
  }

  private static String link(String url, int offset, int limit, Map<String, String> params) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("offset", Integer.toString(offset));
    query.put("limit", Integer.toString(limit));
    query.putAll(params);
    return url + query(query);
  }

  /** {@code ?a=1&b=2} of the non-null values, URL-encoded; empty when there are none. */
  static String query(Map<String, String> params) {
    StringJoiner out = new StringJoiner("&", "?", "");
    out.setEmptyValue("");
    params.forEach(
        (name, value) -> {
          if (value != null) {
            out.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return out.toString();
  }
}
