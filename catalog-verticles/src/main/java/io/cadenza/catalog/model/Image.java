package io.cadenza.catalog.model;

import io.cadenza.config.error.ValidationException;

/**
 * A picture of an artist or an album cover, as Spotify's image object: where it is and its size in
 * pixels ({@code null} when unknown).
 */
public record Image(String url, Integer height, Integer width) {

  public Image {
    if (url == null || url.isBlank() || url.length() > 2000) {
      throw new ValidationException("an image url must be 1 to 2000 characters");
    }
    if ((height != null && height <= 0) || (width != null && width <= 0)) {
      throw new ValidationException("an image's height and width must be positive when known");
    }
  }
}
