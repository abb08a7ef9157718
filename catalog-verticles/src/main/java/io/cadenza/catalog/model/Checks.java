package io.cadenza.catalog.model;

import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import java.util.ArrayList;
import java.util.List;

/** The rules the model's compact constructors share; each failure names the field. */
final class Checks {

  /** Longest name accepted (Spotify's longest track titles are a few hundred characters). */
  static final int MAX_NAME = 1000;

  private Checks() {}

  static String id(String field, String id) {
    if (!Base62Id.isValid(id)) {
      throw new ValidationException(field + " must be a 22-character base62 id, not " + id);
    }
    return id;
  }

  static String name(String field, String name) {
    if (name == null || name.isBlank()) {
      throw new ValidationException(field + " must not be empty");
    }
    if (name.length() > MAX_NAME) {
      throw new ValidationException(field + " must be at most " + MAX_NAME + " characters");
    }
    return name;
  }

  static List<String> ids(String field, List<String> ids, boolean atLeastOne) {
    if (ids == null || (atLeastOne && ids.isEmpty())) {
      throw new ValidationException(field + " must list at least one id");
    }
    for (String id : ids) {
      id(field, id);
    }
    if (ids.stream().distinct().count() != ids.size()) {
      throw new ValidationException(field + " must not repeat an id");
    }
    return List.copyOf(ids);
  }

  /** Genres: none or more non-blank names, without repeats (ignoring case), order kept. */
  static List<String> genres(List<String> genres) {
    if (genres == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(genres.size());
    List<String> keys = new ArrayList<>(genres.size());
    for (String genre : genres) {
      if (genre == null || genre.isBlank() || genre.length() > 100) {
        throw new ValidationException("genres must be names of 1 to 100 characters");
      }
      String key = Genres.key(genre);
      if (keys.contains(key)) {
        throw new ValidationException("genres must not repeat " + genre);
      }
      keys.add(key);
      out.add(genre.strip());
    }
    return List.copyOf(out);
  }

  static int popularity(int popularity) {
    if (popularity < 0 || popularity > 100) {
      throw new ValidationException("popularity must be 0 to 100, not " + popularity);
    }
    return popularity;
  }

  static List<Image> images(List<Image> images) {
    return images == null ? List.of() : List.copyOf(images);
  }
}
