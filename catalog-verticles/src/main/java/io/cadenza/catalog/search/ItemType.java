package io.cadenza.catalog.search;

import java.util.Locale;
import java.util.Optional;

/**
 * The item types of Spotify's {@code type} search parameter. Cadenza indexes artists, albums and
 * tracks; the other types are accepted so that clients sending them work, and always answer an
 * empty page (Cadenza has no shows, episodes or audiobooks, and playlists are not indexed yet).
 */
public enum ItemType {
  ARTIST("artist", true),
  ALBUM("album", true),
  TRACK("track", true),
  PLAYLIST("playlist", false),
  SHOW("show", false),
  EPISODE("episode", false),
  AUDIOBOOK("audiobook", false);

  private final String key;
  private final boolean indexed;

  ItemType(String key, boolean indexed) {
    this.key = key;
    this.indexed = indexed;
  }

  /** The name in the {@code type} parameter: {@code artist}, {@code track}, ... */
  public String key() {
    return key;
  }

  /** The name of the result's paging object: {@code artists}, {@code tracks}, ... */
  public String resultKey() {
    return key + "s";
  }

  /** Whether the index holds items of this type; if not, searches answer an empty page. */
  public boolean indexed() {
    return indexed;
  }

  /**
   * The type a client named, ignoring case, surrounding blanks and a plural {@code s} ({@code
   * "Tracks "} is {@link #TRACK}).
   */
  public static Optional<ItemType> parse(String name) {
    String key = name.strip().toLowerCase(Locale.ROOT);
    for (ItemType type : values()) {
      if (type.key.equals(key) || type.resultKey().equals(key)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
