package io.cadenza.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access tokens of many benchmark users, signed in through {@link BenchUsers} and kept in a cache
 * file between runs: signing thousands of users in costs the node an Argon2 hash each, minutes of
 * its CPU. A cached token is used while it stays valid for {@link #MIN_LEFT} more and the node
 * still accepts it ({@code GET /v1/me} with the first one; another stack's tokens are dropped).
 */
final class BenchTokens {

  /** A cached token must stay valid at least this long: longer than one benchmark run. */
  static final Duration MIN_LEFT = Duration.ofMinutes(25);

  private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

  private BenchTokens() {}

  /**
   * The tokens of users {@code 0..users-1} named {@code <prefix>-<i>}: from {@code cacheFile} (may
   * be null) when still good, the others signed in (and signed up when new), four at a time.
   */
  static List<String> load(
      HttpClient client, String baseUrl, String prefix, int users, String cacheFile) {
    Path cache = cacheFile == null ? null : Path.of(cacheFile);
    Map<Integer, String> cached = read(cache, prefix);
    if (!cached.isEmpty() && !accepted(client, baseUrl, cached.values().iterator().next())) {
      System.out.println(
          "The cached tokens are not accepted by " + baseUrl + "; signing in again.");
      cached.clear();
    }
    long minExp = System.currentTimeMillis() / 1000 + MIN_LEFT.toSeconds();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<String> tokens = new ArrayList<>(users);
    int signedIn = 0;
    try {
      List<Future<String>> pending = new ArrayList<>(users);
      for (int i = 0; i < users; i++) {
        String token = cached.get(i);
        if (token != null && expiry(token) >= minExp) {
          pending.add(java.util.concurrent.CompletableFuture.completedFuture(token));
        } else {
          int user = i;
          signedIn++;
          pending.add(pool.submit(() -> BenchUsers.signUpAndLogIn(client, baseUrl, prefix, user)));
        }
      }
      if (signedIn > 0) {
        System.out.printf("Signing in %d of %d users at %s...%n", signedIn, users, baseUrl);
      }
      for (Future<String> token : pending) {
        tokens.add(token.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Setting up the benchmark users failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while setting up the benchmark users", e);
    } finally {
      pool.shutdownNow();
    }
    if (cache != null && signedIn > 0) {
      write(cache, prefix, tokens);
    }
    return tokens;
  }

  /** The token's {@code exp} claim (epoch seconds); 0 when it cannot be read. */
  static long expiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return 0;
    }
    try {
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      Matcher exp = EXP.matcher(payload);
      return exp.find() ? Long.parseLong(exp.group(1)) : 0;
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  private static boolean accepted(HttpClient client, String baseUrl, String token) {
    try {
      HttpResponse<Void> me =
          client.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/v1/me"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return me.statusCode() == 200;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking a cached token", e);
    }
  }

  /** Lines {@code <prefix> <user> <token>}. */
  private static Map<Integer, String> read(Path cache, String prefix) {
    Map<Integer, String> tokens = new HashMap<>();
    if (cache == null || !Files.isRegularFile(cache)) {
      return tokens;
    }
    try {
      for (String line : Files.readAllLines(cache)) {
        String[] fields = line.strip().split(" ");
        if (fields.length == 3 && fields[0].equals(prefix)) {
          tokens.put(Integer.parseInt(fields[1]), fields[2]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      System.out.println("Ignoring the token cache " + cache + ": " + e);
      tokens.clear();
    }
    return tokens;
  }

  private static void write(Path cache, String prefix, List<String> tokens) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      text.append(prefix).append(' ').append(i).append(' ').append(tokens.get(i)).append('\n');
    }
    try {
      Path parent = cache.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, "tokens", ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
