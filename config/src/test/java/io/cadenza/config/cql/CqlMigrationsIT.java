package io.cadenza.config.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.SettingsLoader;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against the real Cassandra of the test stack (CADENZA_CQL_CONTACT_POINTS). */
class CqlMigrationsIT {

  private static CqlSession session;
  private static CadenzaSettings.Cql cql;

  @BeforeAll
  static void connect() {
    cql = SettingsLoader.load().cql();
    var builder = CqlSession.builder().withLocalDatacenter(cql.localDatacenter());
    cql.contactPoints()
        .forEach(p -> builder.addContactPoint(new InetSocketAddress(p.host(), p.port())));
    session = builder.build();
  }

  @AfterAll
  static void close() {
    session.close();
  }

  private static void drop(String keyspace) {
    session.execute(
        SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
            .setTimeout(cql.schemaChangeTimeout()));
  }

  private static String freshKeyspace() {
    return "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  private static CqlMigrations migrationsFor(String keyspace) {
    return new CqlMigrations(session, keyspace, cql.replication(), cql.schemaChangeTimeout());
  }

  private static Map<Integer, String> appliedRecords(String keyspace) {
    return session
        .execute("SELECT version, checksum, applied_at FROM " + keyspace + ".schema_migrations")
        .all()
        .stream()
        .collect(
            Collectors.toMap(
                (Row r) -> r.getInt("version"),
                r -> r.getString("checksum") + "@" + r.getInstant("applied_at")));
  }

  @Test
  void migrationsAppliedTwiceAreANoOp() {
    String keyspace = freshKeyspace();
    try {
      List<Migration> migrations = CqlMigrations.fromClasspath("cqltest/");
      assertThat(migrationsFor(keyspace).apply(migrations)).containsExactly(1, 2);
      Map<Integer, String> afterFirst = appliedRecords(keyspace);

      assertThat(migrationsFor(keyspace).apply(migrations)).isEmpty();

      assertThat(appliedRecords(keyspace)).isEqualTo(afterFirst);
      session.execute("INSERT INTO " + keyspace + ".things_by_name (name, id) VALUES ('a', 1)");
      assertThat(session.execute("SELECT id FROM " + keyspace + ".things_by_name").one().getInt(0))
          .isEqualTo(1);
    } finally {
      drop(keyspace);
    }
  }

  @Test
  void onlyTheMissingStepsRunOnAnOlderSchema() {
    String keyspace = freshKeyspace();
    try {
      List<Migration> all = CqlMigrations.fromClasspath("cqltest/");
      assertThat(migrationsFor(keyspace).apply(all.subList(0, 1))).containsExactly(1);
      assertThat(migrationsFor(keyspace).apply(all)).containsExactly(2);
    } finally {
      drop(keyspace);
    }
  }

  @Test
  void anEditedAppliedMigrationStopsStartUp() {
    String keyspace = freshKeyspace();
    try {
      List<Migration> original = CqlMigrations.fromClasspath("cqltest/");
      migrationsFor(keyspace).apply(original);
      Migration edited =
          new Migration(1, original.get(0).name(), original.get(0).script() + "\n-- edited\n");
      assertThatThrownBy(() -> migrationsFor(keyspace).apply(List.of(edited, original.get(1))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("V1__first was changed after it was applied");
    } finally {
      drop(keyspace);
    }
  }

  @Test
  void builtInMigrationsApplyToAFreshKeyspace() {
    String keyspace = freshKeyspace();
    try {
      List<Migration> builtIn = CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN);
      assertThat(migrationsFor(keyspace).apply(builtIn)).hasSize(builtIn.size());
      assertThat(migrationsFor(keyspace).apply(builtIn)).isEmpty();
    } finally {
      drop(keyspace);
    }
  }
}
