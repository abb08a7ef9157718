package io.cadenza.config.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/**
 * The ScyllaDB driver's async calls as Vert.x futures completing on the caller's context; shared by
 * the modules that keep data in ScyllaDB.
 */
public final class Cql {

  private final CqlSession session;
  private final String keyspace;

  public Cql(CqlSession session, String keyspace) {
    this.session = session;
    this.keyspace = keyspace;
  }

  /** Prepares a statement; {@code %s} in the text stands for the keyspace. */
  public Future<PreparedStatement> prepare(String cqlWithKeyspace) {
    return of(session.prepareAsync(cqlWithKeyspace.formatted(keyspace)));
  }

  public Future<AsyncResultSet> execute(Statement<?> statement) {
    return of(session.executeAsync(statement));
  }

  /** The first row, or null. */
  public Future<Row> one(Statement<?> statement) {
    return execute(statement).map(AsyncResultSet::one);
  }

  /** Whether a lightweight transaction was applied. */
  public Future<Boolean> applied(Statement<?> statement) {
    return execute(statement).map(AsyncResultSet::wasApplied);
  }

  public static <T> Future<T> of(CompletionStage<T> stage) {
    Context context = Vertx.currentContext();
    return context == null
        ? Future.fromCompletionStage(stage)
        : Future.fromCompletionStage(stage, context);
  }
}
