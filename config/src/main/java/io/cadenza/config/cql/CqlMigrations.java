package io.cadenza.config.cql;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cadenza.config.CadenzaSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the ordered CQL migrations once each. It creates the keyspace with the configured
 * replication, then a {@code schema_migrations} table recording each applied version with its
 * checksum. Statements are idempotent ({@code IF NOT EXISTS}), so two nodes starting together may
 * both run a step without harm; the record is written with a lightweight transaction. Blocking:
 * call it from a worker thread.
 */
public final class CqlMigrations {

  /** The migrations that ship with Cadenza, listed in order in {@code migrations.txt}. */
  public static final String BUILT_IN = "io/cadenza/config/cql/";

  private static final Logger LOG = LoggerFactory.getLogger(CqlMigrations.class);

  private final CqlSession session;
  private final String keyspace;
  private final CadenzaSettings.Replication replication;
  private final Duration timeout;

  public CqlMigrations(CqlSession session, CadenzaSettings.Cql settings) {
    this(session, settings.keyspace(), settings.replication(), settings.schemaChangeTimeout());
  }

  public CqlMigrations(
      CqlSession session,
      String keyspace,
      CadenzaSettings.Replication replication,
      Duration timeout) {
    this.session = session;
    this.keyspace = keyspace;
    this.replication = replication;
    this.timeout = timeout;
  }

  /** Loads the migrations listed in {@code <folder>migrations.txt} on the classpath. */
  public static List<Migration> fromClasspath(String folder) {
    ClassLoader loader = CqlMigrations.class.getClassLoader();
    List<Migration> migrations = new ArrayList<>();
    for (String line : read(loader, folder + "migrations.txt").split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        migrations.add(Migration.of(name, read(loader, folder + name)));
      }
    }
    migrations.sort(Comparator.comparingInt(Migration::version));
    for (int i = 1; i < migrations.size(); i++) {
      if (migrations.get(i).version() == migrations.get(i - 1).version()) {
        throw new IllegalStateException(
            "two migrations share version " + migrations.get(i).version() + " in " + folder);
      }
    }
    return migrations;
  }

  /**
   * Applies what is missing.
   *
   * @return the versions applied by this call (empty when the schema was already current)
   * @throws IllegalStateException when an applied migration's script has changed since
   */
  public List<Integer> apply(List<Migration> migrations) {
    execute(
        "CREATE KEYSPACE IF NOT EXISTS "
            + keyspace
            + " WITH replication = "
            + replication.toCql()
            + " AND durable_writes = true");
    execute(
        "CREATE TABLE IF NOT EXISTS "
            + keyspace
            + ".schema_migrations (version int PRIMARY KEY, name text, checksum text,"
            + " applied_at timestamp)");
    Map<Integer, String> applied = new HashMap<>();
    for (Row row : execute("SELECT version, checksum FROM " + keyspace + ".schema_migrations")) {
      applied.put(row.getInt("version"), row.getString("checksum"));
    }
    List<Integer> appliedNow = new ArrayList<>();
    for (Migration migration : migrations) {
      String checksum = migration.checksum();
      String previous = applied.get(migration.version());
      if (previous != null) {
        if (!previous.equals(checksum)) {
          throw new IllegalStateException(
              "migration V"
                  + migration.version()
                  + "__"
                  + migration.name()
                  + " was changed after it was applied to keyspace "
                  + keyspace
                  + "; add a new migration instead");
        }
        continue;
      }
      for (String statement : migration.statements(keyspace)) {
        execute(statement);
      }
      execute(
          SimpleStatement.newInstance(
                  "INSERT INTO "
                      + keyspace
                      + ".schema_migrations (version, name, checksum, applied_at)"
                      + " VALUES (?, ?, ?, ?) IF NOT EXISTS",
                  migration.version(),
                  migration.name(),
                  checksum,
                  Instant.now())
              .setSerialConsistencyLevel(ConsistencyLevel.SERIAL));
      appliedNow.add(migration.version());
      LOG.info(
          "Applied CQL migration V{}__{} to keyspace {}.",
          migration.version(),
          migration.name(),
          keyspace);
    }
    if (appliedNow.isEmpty()) {
      LOG.info(
          "CQL schema of keyspace {} is current ({} migrations).", keyspace, migrations.size());
    }
    return appliedNow;
  }

  private ResultSet execute(String cql) {
    return execute(SimpleStatement.newInstance(cql));
  }

  private ResultSet execute(SimpleStatement statement) {
    return session.execute(
        statement.setTimeout(timeout).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM));
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
