package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.edge.it.Api.Account;
import io.cadenza.edge.it.Api.Response;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-in must not tell an attacker which e-mail addresses have accounts: an unknown address and a
 * wrong password get the same answer, and take similar time (a dummy Argon2id hash is checked when
 * there is no user). A security property, so a test, with a bound loose enough for a busy machine
 * yet far tighter than the gap it guards against (a skipped Argon2id check answers in a fraction of
 * the time).
 */
@ExtendWith(SharedNode.class)
class LoginTimingIT {

  private static final int ROUNDS = 15;

  @Test
  void anUnknownEmailAndAWrongPasswordLookAlike() {
    Api api = new Api(SharedNode.running().url());
    Account account = api.signUp();
    JsonObject wrongPassword =
        new JsonObject().put("email", account.email()).put("password", "not the password!");
    JsonObject unknownEmail =
        new JsonObject()
            .put("email", "nobody-" + UUID.randomUUID() + "@example.com")
            .put("password", "not the password!");

    // Warm both paths (JIT, prepared statements, connections) before measuring.
    for (int i = 0; i < 3; i++) {
      api.postJson("/api/login", wrongPassword, null);
      api.postJson("/api/login", unknownEmail, null);
    }
    List<Long> wrong = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      wrong.add(timed(api, wrongPassword, account.email()));
      unknown.add(timed(api, unknownEmail, null));
    }
    long wrongMedian = median(wrong);
    long unknownMedian = median(unknown);
    double ratio =
        (double) Math.max(wrongMedian, unknownMedian) / Math.min(wrongMedian, unknownMedian);
    System.out.printf(
        "Login timing: wrong password median %.1f ms, unknown e-mail median %.1f ms, ratio %.2f%n",
        wrongMedian / 1e6, unknownMedian / 1e6, ratio);
    assertThat(ratio).as("median time ratio of the two failures").isLessThan(1.5);
  }

  private static long timed(Api api, JsonObject body, String email) {
    long start = System.nanoTime();
    Response response = api.postJson("/api/login", body, null);
    long elapsed = System.nanoTime() - start;
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.errorMessage()).isEqualTo("Invalid email or password");
    assertThat(response.body()).doesNotContain(email == null ? "\u0000" : email);
    return elapsed;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
