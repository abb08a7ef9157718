package io.cadenza.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestLogTest {

  @Test
  void aSignedMediaTokenNeverReachesTheLog() {
    assertThat(RequestLog.loggable("/media/u1.free.1795000000.c2lnbmF0dXJl/tracks/ab/x/track.m4a"))
        .isEqualTo("/media/-/tracks/ab/x/track.m4a");
    assertThat(RequestLog.loggable("/media/onlyatoken")).isEqualTo("/media/-");
    assertThat(RequestLog.loggable("/v1/me")).isEqualTo("/v1/me");
    assertThat(RequestLog.loggable(null)).isNull();
  }

  @Test
  void newIdsAreVersion4UuidsAndDiffer() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestLog.newId();
      java.util.UUID uuid = java.util.UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      ids.add(id);
    }
    assertThat(ids).hasSize(10_000);
  }
}
