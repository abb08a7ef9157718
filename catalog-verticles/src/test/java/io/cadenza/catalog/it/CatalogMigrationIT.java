package io.cadenza.catalog.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cadenza.config.cql.CqlMigrations;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogMigrationIT {

  @Test
  void theCatalogMigrationCreatesItsTablesAndASecondRunChangesNothing() throws Exception {
    try (CatalogStack stack = CatalogStack.open()) {
      List<String> tables =
          stack
              .session
              .execute(
                  SimpleStatement.newInstance(
                      "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?",
                      stack.keyspace()))
              .all()
              .stream()
              .map(row -> row.getString("table_name"))
              .toList();
      assertThat(tables)
          .contains(
              "artists",
              "albums",
              "tracks",
              "albums_by_artist",
              "tracks_by_album",
              "tracks_by_artist_popularity",
              "albums_by_release_month",
              "albums_by_genre",
              "genres");
      Row applied =
          stack
              .session
              .execute(
                  "SELECT name FROM " + stack.keyspace() + ".schema_migrations WHERE version = 4")
              .one();
      assertThat(applied.getString("name")).isEqualTo("catalog");
      assertThat(
              new CqlMigrations(stack.session, stack.settings.cql())
                  .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN)))
          .isEmpty();
    }
  }
}
