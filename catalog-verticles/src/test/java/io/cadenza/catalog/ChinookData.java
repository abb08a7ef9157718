package io.cadenza.catalog;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Chinook sample catalog (MIT, its licence beside it) the tests read: a copy kept with the test
 * resources, so the tests need nothing outside the checkout; {@code -Dchinook.data=<file>} or
 * {@code CADENZA_CHINOOK} point at another copy.
 */
public final class ChinookData {

  private ChinookData() {}

  public static Path file() {
    String override = System.getProperty("chinook.data", System.getenv("CADENZA_CHINOOK"));
    if (override != null && !override.isBlank()) {
      Path file = Path.of(override);
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException(
            file.toAbsolutePath() + " (the Chinook data) is not a file");
      }
      return file;
    }
    URL resource = ChinookData.class.getResource("/chinook/ChinookData.json");
    if (resource == null) {
      throw new IllegalStateException(
          "chinook/ChinookData.json is missing from the test resources");
    }
    try {
      return Path.of(resource.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
