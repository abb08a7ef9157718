package io.cadenza.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cadenza.config.error.ValidationException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogCommandTest {

  @Test
  void generateHasDefaultsAndOptions() {
    CatalogCommand.Request defaults = CatalogCommand.parse(new String[] {"generate"}, Map.of());
    assertThat(defaults.tracks()).isEqualTo(1_000_000);
    assertThat(defaults.seed()).isEqualTo(1);
    assertThat(defaults.concurrency()).isEqualTo(64);
    CatalogCommand.Request asked =
        CatalogCommand.parse(
            new String[] {"generate", "--tracks", "20_000", "--seed", "-3", "--concurrency", "8"},
            Map.of());
    assertThat(asked.tracks()).isEqualTo(20_000);
    assertThat(asked.seed()).isEqualTo(-3);
    assertThat(asked.concurrency()).isEqualTo(8);
  }

  @Test
  void importChinookTakesTheFileOrTheEnvironmentsOrTheSharedOne() {
    assertThat(CatalogCommand.parse(new String[] {"import-chinook", "x.json"}, Map.of()).chinook())
        .isEqualTo(Path.of("x.json"));
    assertThat(
            CatalogCommand.parse(new String[] {"import-chinook"}, Map.of("CADENZA_CHINOOK", "y"))
                .chinook())
        .isEqualTo(Path.of("y"));
    assertThat(CatalogCommand.parse(new String[] {"import-chinook"}, Map.of()).chinook())
        .isEqualTo(Path.of("../shared/data/chinook/ChinookData.json"));
  }

  @Test
  void mistakesAreUsageErrors() {
    assertThatThrownBy(() -> CatalogCommand.parse(new String[] {}, Map.of()))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> CatalogCommand.parse(new String[] {"export"}, Map.of()))
        .hasMessageContaining("unknown command");
    assertThatThrownBy(
            () -> CatalogCommand.parse(new String[] {"generate", "--tracks", "0"}, Map.of()))
        .hasMessageContaining("--tracks");
    assertThatThrownBy(() -> CatalogCommand.parse(new String[] {"generate", "--seed"}, Map.of()))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(
            () -> CatalogCommand.parse(new String[] {"generate", "--fast", "1"}, Map.of()))
        .hasMessageContaining("unknown option");
  }
}
