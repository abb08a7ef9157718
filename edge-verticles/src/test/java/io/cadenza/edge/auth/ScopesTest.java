package io.cadenza.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopesTest {

  @Test
  void parsesSpacesCommasAndRepeatsAndRefusesUnknownScopes() {
    assertThat(Scopes.parse(" streaming,user-read-email  user-read-email "))
        .hasValue(Set.of("streaming", "user-read-email"));
    assertThat(Scopes.parse(null)).hasValue(Set.of());
    assertThat(Scopes.parse("   ")).hasValue(Set.of());
    assertThat(Scopes.parse("user-read-email user-read-everything")).isEmpty();
    assertThat(Scopes.parse("USER-READ-EMAIL")).as("scope names are case-sensitive").isEmpty();
  }

  @Test
  void formatsInOneCanonicalOrderWhateverTheInputOrder() {
    assertThat(Scopes.format(List.of("streaming", "user-read-email", "user-top-read")))
        .isEqualTo("user-top-read user-read-email streaming");
    assertThat(Scopes.format(Set.of())).isEmpty();
    assertThat(Scopes.format(Scopes.ALL)).isEqualTo(String.join(" ", Scopes.ALL));
  }

  @Test
  void knowsEverySpotifyScope() {
    assertThat(Scopes.ALL)
        .hasSize(19)
        .doesNotHaveDuplicates()
        .contains(
            "user-read-currently-playing",
            "app-remote-control",
            "streaming",
            "ugc-image-upload",
            "playlist-read-collaborative",
            "user-read-playback-position");
  }
}
