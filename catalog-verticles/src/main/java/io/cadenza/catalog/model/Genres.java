package io.cadenza.catalog.model;

import java.util.Locale;

/** Genre names as given for display; their lower-case form is the key lookups use. */
public final class Genres {

  private Genres() {}

  /** The lookup key of a genre name: stripped and lower-cased, so "Rock" and "rock" agree. */
  public static String key(String genre) {
    return genre.strip().toLowerCase(Locale.ROOT);
  }
}
