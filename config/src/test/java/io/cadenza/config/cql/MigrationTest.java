package io.cadenza.config.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {

  @Test
  void fileNameGivesVersionAndName() {
    Migration m = Migration.of("V012__add_users.cql", "");
    assertThat(m.version()).isEqualTo(12);
    assertThat(m.name()).isEqualTo("add_users");
  }

  @Test
  void badFileNameIsRejected() {
    assertThatThrownBy(() -> Migration.of("add_users.cql", ""))
        .hasMessageContaining("V<number>__<description>.cql");
  }

  @Test
  void statementsSplitOnSemicolonsAndFillTheKeyspace() {
    Migration m =
        Migration.of(
            "V001__x.cql",
            "-- a comment; with a semicolon\n"
                + "CREATE TABLE IF NOT EXISTS ${keyspace}.a (id int PRIMARY KEY);\n\n"
                + "CREATE TABLE IF NOT EXISTS ${keyspace}.b (\n  id int PRIMARY KEY\n);\n");
    assertThat(m.statements("ks"))
        .containsExactly(
            "CREATE TABLE IF NOT EXISTS ks.a (id int PRIMARY KEY)",
            "CREATE TABLE IF NOT EXISTS ks.b (\n  id int PRIMARY KEY\n)");
  }

  @Test
  void checksumChangesWithTheScript() {
    assertThat(Migration.of("V001__x.cql", "a").checksum())
        .isEqualTo(Migration.of("V001__x.cql", "a").checksum())
        .isNotEqualTo(Migration.of("V001__x.cql", "b").checksum());
  }

  @Test
  void builtInMigrationsLoadInOrder() {
    List<Migration> builtIn = CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN);
    assertThat(builtIn).isNotEmpty();
    assertThat(builtIn).extracting(Migration::version).isSorted().doesNotHaveDuplicates();
  }
}
