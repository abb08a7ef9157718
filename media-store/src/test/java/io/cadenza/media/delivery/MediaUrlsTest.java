package io.cadenza.media.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.media.delivery.MediaUrls.TrackKey;
import io.cadenza.media.delivery.MediaUrls.Verdict;
import io.cadenza.media.store.MediaKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MediaUrlsTest {

  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String HASH = "ab" + "0".repeat(62);
  private static final String OTHER_HASH = "cd" + "1".repeat(62);
  private static final String USER = "4Uv9Tq0Zb6mX2kR8pLw3Ns";
  private static final String OTHER_USER = "5Uv9Tq0Zb6mX2kR8pLw3Ns";

  private final MediaUrls urls = urls(NOW);

  private static MediaUrls urls(Instant now) {
    return new MediaUrls(SECRET, Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static String token(String path) {
    String rest = path.substring(MediaUrls.PREFIX.length());
    return rest.substring(0, rest.indexOf('/'));
  }

  private static TrackKey track(String key) {
    return TrackKey.of(key).orElseThrow();
  }

  private String signedToken() {
    return token(urls.sign(MediaKeys.master(HASH), USER, Tier.FREE));
  }

  @Test
  void pathEmbedsTheTokenBeforeTheStoreKey() {
    String path = urls.sign(MediaKeys.master(HASH), USER, Tier.FREE);
    assertThat(path).startsWith("/media/" + USER + ".free.").endsWith("/" + MediaKeys.master(HASH));
    assertThat(token(path)).matches("[A-Za-z0-9._-]+");
  }

  @Test
  void oneTokenCoversEveryFileOfTheTrack() {
    String token = signedToken();
    for (String key :
        new String[] {
          MediaKeys.master(HASH),
          MediaKeys.variantPlaylist(HASH, "aac-128"),
          MediaKeys.variant(HASH, "aac-64") + "seg-00001.m4s",
          MediaKeys.m4a(HASH)
        }) {
      Verdict verdict = urls.verify(token, track(key));
      assertThat(verdict).isInstanceOf(Verdict.Valid.class);
      MediaUrls.Grant grant = ((Verdict.Valid) verdict).grant();
      assertThat(grant.userId()).isEqualTo(USER);
      assertThat(grant.tier()).isEqualTo(Tier.FREE);
      assertThat(grant.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    }
  }

  @Test
  void anotherTracksFolderIsRefused() {
    assertThat(urls.verify(signedToken(), track(MediaKeys.master(OTHER_HASH))))
        .isInstanceOf(Verdict.Invalid.class);
  }

  @Test
  void anotherUserIsRefused() {
    String token = signedToken().replace(USER, OTHER_USER);
    assertThat(urls.verify(token, track(MediaKeys.master(HASH))))
        .isInstanceOf(Verdict.Invalid.class);
  }

  @Test
  void raisedTierIsRefused() {
    String token = signedToken().replace(".free.", ".premium.");
    assertThat(urls.verify(token, track(MediaKeys.master(HASH))))
        .isInstanceOf(Verdict.Invalid.class);
  }

  @Test
  void extendedExpiryIsRefused() {
    String[] parts = signedToken().split("\\.");
    parts[2] = String.valueOf(Long.parseLong(parts[2]) + 3600);
    assertThat(urls.verify(String.join(".", parts), track(MediaKeys.master(HASH))))
        .isInstanceOf(Verdict.Invalid.class);
  }

  @Test
  void everyChangedSignatureCharacterIsRefused() {
    String token = signedToken();
    int start = token.lastIndexOf('.') + 1;
    for (int i = start; i < token.length(); i++) {
      char c = token.charAt(i);
      String tampered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
      assertThat(urls.verify(tampered, track(MediaKeys.master(HASH))))
          .as("signature character %d", i - start)
          .isInstanceOf(Verdict.Invalid.class);
    }
  }

  @Test
  void malformedTokensAreRefused() {
    String token = signedToken();
    for (String bad :
        new String[] {
          "",
          "x",
          token + ".",
          token.substring(1),
          token.substring(0, token.length() - 1),
          token.replace(".free.", ".gold."),
          token.replace('.', '_'),
          token + "A"
        }) {
      assertThat(urls.verify(bad, track(MediaKeys.master(HASH))))
          .as(bad)
          .isInstanceOf(Verdict.Invalid.class);
    }
  }

  @Test
  void otherSigningKeyIsRefused() {
    MediaUrls other =
        new MediaUrls(
            "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8),
            Duration.ofMinutes(10),
            Clock.fixed(NOW, ZoneOffset.UTC));
    String token = token(other.sign(MediaKeys.master(HASH), USER, Tier.FREE));
    assertThat(urls.verify(token, track(MediaKeys.master(HASH))))
        .isInstanceOf(Verdict.Invalid.class);
  }

  @Test
  void expiredTokenIsExpired() {
    String token = signedToken();
    assertThat(urls(NOW.plus(Duration.ofMinutes(10))).verify(token, track(MediaKeys.master(HASH))))
        .isInstanceOf(Verdict.Expired.class);
    assertThat(urls(NOW.plus(Duration.ofDays(1))).verify(token, track(MediaKeys.master(HASH))))
        .isInstanceOf(Verdict.Expired.class);
    assertThat(
            urls(NOW.plus(Duration.ofMinutes(10)).minusSeconds(1))
                .verify(token, track(MediaKeys.master(HASH))))
        .isInstanceOf(Verdict.Valid.class);
  }

  @Test
  void trackKeySplitsFolderHashAndPath() {
    TrackKey key = track(MediaKeys.variant(HASH, "aac-128") + "seg-00001.m4s");
    assertThat(key.folder()).isEqualTo(MediaKeys.track(HASH));
    assertThat(key.contentHash()).isEqualTo(HASH);
    assertThat(key.inTrack()).isEqualTo("hls/aac-128/seg-00001.m4s");
  }

  @Test
  void keysOutsideATrackFolderAreNotTrackKeys() {
    assertThat(TrackKey.of("tracks/cd/" + HASH + "/track.m4a")).isEmpty(); // wrong fan-out
    assertThat(TrackKey.of("tracks/ab/" + HASH + "/")).isEmpty();
    assertThat(TrackKey.of("tracks/ab/" + HASH.toUpperCase() + "/track.m4a")).isEmpty();
    assertThat(TrackKey.of("other/ab/" + HASH + "/track.m4a")).isEmpty();
  }

  @Test
  void signingRefusesWhatCannotBeVerified() {
    assertThatThrownBy(() -> urls.sign("etc/passwd", USER, Tier.FREE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> urls.sign(MediaKeys.master(HASH), "a.b", Tier.FREE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
