package io.cadenza.catalog.search;

import io.cadenza.config.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A validated search: what {@code GET /v1/search} asks for.
 *
 * <p>Limits follow the Spotify Web API reference Cadenza implements
 * (shared/reference/spotify-web-api): {@code limit} is per item type, 1 to {@value #MAX_LIMIT},
 * default {@value #DEFAULT_LIMIT}; {@code offset} is 0 to {@value #MAX_OFFSET}, default 0. Bad
 * values are a {@link ValidationException} (400) with Spotify's messages ("Invalid limit", "Invalid
 * offset", "Bad search type field x"), never a silent clamp.
 *
 * @param query the parsed {@code q}
 * @param types the requested item types, in the order the client named them, without repeats
 * @param limit the page size per type
 * @param offset the index of the first item of each page
 * @param market an ISO 3166-1 alpha-2 code in upper case, {@code from_token}, or null; accepted and
 *     ignored for now because Cadenza's catalog has no market restrictions
 */
public record SearchRequest(
    SearchQuery query, List<ItemType> types, int limit, int offset, String market) {

  public static final int DEFAULT_LIMIT = 5;
  public static final int MAX_LIMIT = 10;
  public static final int MAX_OFFSET = 1000;

  private static final Pattern MARKET = Pattern.compile("[A-Z]{2}|from_token");

  public SearchRequest {
    Objects.requireNonNull(query, "query");
    if (types == null || types.isEmpty()) {
      throw new ValidationException("Missing parameter type");
    }
    types = List.copyOf(types.stream().distinct().toList());
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("Invalid limit");
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new ValidationException("Invalid offset");
    }
    if (market != null && !MARKET.matcher(market).matches()) {
      throw new ValidationException("Invalid market code");
    }
  }

  /**
   * Reads the raw query parameters as a client sent them (already percent-decoded; null when
   * absent). {@code type} is a comma-separated list whose entries may differ in case, carry blanks
   * or a plural {@code s}; repeated {@code type} parameters can be joined with commas first.
   *
   * @throws ValidationException naming the first bad parameter
   */
  public static SearchRequest parse(
      String q, String type, String limit, String offset, String market) {
    SearchQuery query = SearchQuery.parse(q);
    return new SearchRequest(
        query,
        types(type),
        integer(limit, DEFAULT_LIMIT, "Invalid limit"),
        integer(offset, 0, "Invalid offset"),
        market(market));
  }

  private static List<ItemType> types(String type) {
    if (type == null || type.isBlank()) {
      throw new ValidationException("Missing parameter type");
    }
    List<ItemType> types = new ArrayList<>();
    for (String name : type.split(",")) {
      if (name.isBlank()) {
        continue; // "track," or "track,,artist"
      }
      types.add(
          ItemType.parse(name)
              .orElseThrow(() -> new ValidationException("Bad search type field " + name.strip())));
    }
    return types;
  }

  private static int integer(String value, int absent, String message) {
    if (value == null || value.isBlank()) {
      return absent;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ValidationException(message);
    }
  }

  private static String market(String market) {
    if (market == null || market.isBlank()) {
      return null;
    }
    String m = market.strip();
    return m.equalsIgnoreCase("from_token") ? "from_token" : m.toUpperCase(Locale.ROOT);
  }
}
