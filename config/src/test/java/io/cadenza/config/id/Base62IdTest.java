package io.cadenza.config.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Base62IdTest {

  @Test
  void randomIdsHaveTheShapeAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = Base62Id.random();
      assertThat(Base62Id.isValid(id)).as(id).isTrue();
      assertThat(seen.add(id)).isTrue();
    }
  }

  @Test
  void malformedIdsAreRecognised() {
    assertThat(Base62Id.isValid(null)).isFalse();
    assertThat(Base62Id.isValid("")).isFalse();
    assertThat(Base62Id.isValid("4iV5W9uYEdYUVa79Axb7R")).isFalse(); // 21 characters
    assertThat(Base62Id.isValid("4iV5W9uYEdYUVa79Axb7R/")).isFalse();
    assertThat(Base62Id.isValid("4iV5W9uYEdYUVa79Axb7Rh")).isTrue();
  }

  @Test
  void urisNameTheType() {
    assertThat(Base62Id.uri("user", "4iV5W9uYEdYUVa79Axb7Rh"))
        .isEqualTo("cadenza:user:4iV5W9uYEdYUVa79Axb7Rh");
  }

  @org.junit.jupiter.api.Test
  void aNameAlwaysMapsToTheSameValidId() {
    String id = Base62Id.named("chinook:track:1");
    org.assertj.core.api.Assertions.assertThat(id)
        .isEqualTo(Base62Id.named("chinook:track:1"))
        .isNotEqualTo(Base62Id.named("chinook:track:2"));
    org.assertj.core.api.Assertions.assertThat(Base62Id.isValid(id)).isTrue();
  }
}
