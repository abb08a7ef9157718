package io.cadenza.config.cql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ordered schema step: {@code V<number>__<description>.cql}, holding idempotent CQL statements
 * separated by semicolons at line ends. {@code ${keyspace}} stands for the configured keyspace.
 */
public record Migration(int version, String name, String script) {

  private static final Pattern FILE_NAME = Pattern.compile("V(\\d{1,6})__([A-Za-z0-9_]+)\\.cql");

  public static Migration of(String fileName, String script) {
    Matcher m = FILE_NAME.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "migration file " + fileName + " must be named V<number>__<description>.cql");
    }
    return new Migration(Integer.parseInt(m.group(1)), m.group(2), script);
  }

  /** SHA-256 of the script, so an edit after it was applied is caught. */
  public String checksum() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The statements with the keyspace filled in, comments and blank lines removed. */
  public List<String> statements(String keyspace) {
    String withoutComments =
        Arrays.stream(script.split("\n"))
            .filter(line -> !line.strip().startsWith("--"))
            .reduce("", (a, b) -> a + b + "\n");
    return Arrays.stream(withoutComments.split(";\\s*\n|;\\s*$"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(s -> s.replace("${keyspace}", keyspace))
        .toList();
  }
}
