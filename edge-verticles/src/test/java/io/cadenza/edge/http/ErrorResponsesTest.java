package io.cadenza.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorResponsesTest {

  @ParameterizedTest
  @ValueSource(strings = {"/v1/users/%ZZ", "/v1/users/abc%", "/v1/users/abc%4", "/a%g0/b", "/%"})
  void malformedEscapesAreFound(String path) {
    assertThat(ErrorResponses.hasMalformedEscape(path)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/me", "/v1/users/%FF%fe", "/v1/users/%C0%AF", "/a%20b", "/%25"})
  void wellFormedEscapesPass(String path) {
    assertThat(ErrorResponses.hasMalformedEscape(path)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void aSaturatedDatabaseOrCacheIsAnOverloadNotABug() {
    org.assertj.core.api.Assertions.assertThat(
            ErrorResponses.overloaded(
                new java.util.concurrent.CompletionException(
                    new com.datastax.oss.driver.api.core.NoNodeAvailableException())))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(
            ErrorResponses.overloaded(
                new RuntimeException(
                    new com.datastax.oss.driver.api.core.DriverTimeoutException("timed out"))))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(
            ErrorResponses.overloaded(new IllegalStateException("a bug")))
        .isFalse();
  }
}
