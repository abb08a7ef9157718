package io.cadenza.edge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.edge.it.Api.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-user bucket end to end: 429 with Retry-After and the error object, for that user only.
 */
@ExtendWith(SharedNode.class)
class RateLimitsIT {

  @Test
  void aUserOverTheLimitGets429WithRetryAfterAndOthersGoOn() {
    Api api = new Api(SharedNode.running().url());
    String greedy = api.logIn(api.signUp(), null).accessToken();
    String other = api.logIn(api.signUp(), null).accessToken();

    // The default bucket holds 200 and refills 50/s: a tight loop empties it within a few hundred.
    Response limited = null;
    int sent = 0;
    while (limited == null && sent < 2000) {
      Response response = api.get("/v1/no-such-endpoint", greedy);
      sent++;
      if (response.status() == 429) {
        limited = response;
      } else {
        assertThat(response.status()).as(response.body()).isEqualTo(404);
      }
    }
    assertThat(limited).as("no 429 after %d requests", sent).isNotNull();
    assertThat(sent).isGreaterThan(200);
    assertThat(limited.errorMessage()).isEqualTo("API rate limit exceeded");
    assertThat(Integer.parseInt(limited.header("retry-after"))).isBetween(1, 60);

    assertThat(api.get("/v1/no-such-endpoint", other).status())
        .as("another user's bucket is untouched")
        .isEqualTo(404);
  }
}
