package io.cadenza.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The users of a benchmark: signed up (or found from an earlier run) and signed in. */
final class BenchUsers {

  private static final String PASSWORD = "bench-password-1";
  private static final Pattern ACCESS_TOKEN =
      Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

  private BenchUsers() {}

  /**
   * Signs up user number {@code user} as {@code <prefix>-<user>@bench.cadenza.test} (409, a user of
   * an earlier run, is fine) and signs in.
   *
   * @return the user's access token
   */
  static String signUpAndLogIn(HttpClient client, String baseUrl, String prefix, int user)
      throws IOException, InterruptedException {
    String email = prefix + "-" + user + "@bench.cadenza.test";
    HttpResponse<String> signUp =
        post(
            client,
            baseUrl + "/api/signup",
            "{\"email\":\"%s\",\"password\":\"%s\",\"display_name\":\"%s %d\",\"country\":\"SE\"}"
                .formatted(email, PASSWORD, prefix, user));
    if (signUp.statusCode() != 201 && signUp.statusCode() != 409) {
      throw new IllegalStateException(explain("sign-up", signUp));
    }
    HttpResponse<String> logIn =
        post(
            client,
            baseUrl + "/api/login",
            "{\"email\":\"%s\",\"password\":\"%s\"}".formatted(email, PASSWORD));
    Matcher token = ACCESS_TOKEN.matcher(logIn.body());
    if (logIn.statusCode() != 200 || !token.find()) {
      throw new IllegalStateException(explain("login", logIn));
    }
    return token.group(1);
  }

  private static HttpResponse<String> post(HttpClient client, String url, String json)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String explain(String what, HttpResponse<String> response) {
    String hint =
        response.statusCode() == 429
            ? " (the node's per-address rate limit is too small for the benchmark: start it"
                + " with raised limits, as ./cadenza bench does)"
            : "";
    return what + " answered " + response.statusCode() + ": " + response.body() + hint;
  }
}
