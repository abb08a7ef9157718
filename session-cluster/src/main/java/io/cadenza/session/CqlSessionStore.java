package io.cadenza.session;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cadenza.playback.PlaybackState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The last durable state of every user's session, one row per user in {@code sessions} (migration
 * V005), as {@link SessionJson}. Writes carry the state's version as their {@code USING TIMESTAMP},
 * so the newest state always wins whatever the nodes' clocks say: a late write of an older state,
 * e.g. from a node that lost the session while its write was in flight, can never overwrite a newer
 * one. (Two writes of one version differ only in devices' last-seen times, which heartbeats move
 * without a new version; either may win.)
 */
public final class CqlSessionStore implements SessionStore {

  private final CqlSession session;
  private final PreparedStatement select;
  private final PreparedStatement insert;

  private CqlSessionStore(CqlSession session, PreparedStatement select, PreparedStatement insert) {
    this.session = session;
    this.select = select;
    this.insert = insert;
  }

  /** Prepares the statements (blocking: call on a worker thread, once per node). */
  public static CqlSessionStore create(CqlSession session, String keyspace) {
    PreparedStatement select =
        session.prepare("SELECT state FROM " + keyspace + ".sessions WHERE user_id = ?");
    PreparedStatement insert =
        session.prepare(
            "INSERT INTO "
                + keyspace
                + ".sessions (user_id, version, state, updated_at) VALUES (?, ?, ?, ?)"
                + " USING TIMESTAMP ?");
    return new CqlSessionStore(session, select, insert);
  }

  @Override
  public CompletionStage<Optional<PlaybackState>> load(String userId) {
    return session
        .executeAsync(
            select
                .bind(userId)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                .setIdempotent(true))
        .thenApply(
            rows -> {
              Row row = rows.one();
              if (row == null || row.getString(0) == null) {
                return Optional.empty();
              }
              return Optional.of(
                  SessionJson.readState(row.getString(0).getBytes(StandardCharsets.UTF_8)));
            });
  }

  @Override
  public CompletionStage<Void> save(PlaybackState state) {
    String json = new String(SessionJson.writeState(state), StandardCharsets.UTF_8);
    return session
        .executeAsync(
            insert
                .bind(state.userId(), state.version(), json, Instant.now(), state.version())
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                .setIdempotent(true))
        .thenApply(rows -> null);
  }
}
