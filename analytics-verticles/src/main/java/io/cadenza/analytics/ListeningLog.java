package io.cadenza.analytics;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The listening log in ScyllaDB (migration V007): {@code listening_log}, every play by user and
 * month, newest first, and {@code daily_plays}, the plays that count by day, for charts. Writes are
 * idempotent: every key column comes from the event, so the same event written twice is one row.
 *
 * <p>A log row holds only what cannot be derived, as every cell costs at each write, flush and
 * compaction: {@code started_at} is not written (it is {@code played_at - ms_played}, to the
 * millisecond, which is all a timestamp keeps) nor {@code schema_version} (the wire format's, not
 * the row's); rows written before have both, and reads ignore them. {@code shuffle} and {@code
 * offline} are written only when true: a missing one reads as false.
 */
public final class ListeningLog {

  /** Buckets of a day in {@code daily_plays}. */
  public static final int DAY_BUCKETS = 16;

  /** How far back a read of recent plays looks (months before the cursor's). */
  public static final int MONTHS_BACK = 13;

  private static final String COLUMNS =
      "user_id, month, played_at, event_id, track_id, device_id, context_uri, ms_played,"
          + " reason_start, reason_end, shuffle, offline, client_ts, country";

  private final CqlSession session;
  private final String keyspace;
  private final Duration countAfter;
  private final ProtocolVersion protocol;
  private final ByteBuffer yes;
  private final PreparedStatement insertLog;
  private final PreparedStatement insertDay;
  private final PreparedStatement before;
  private final PreparedStatement after;
  private final PreparedStatement between;
  private final PreparedStatement day;

  private ListeningLog(CqlSession session, String keyspace, Duration countAfter) {
    this.session = session;
    this.keyspace = keyspace;
    this.countAfter = countAfter;
    String log = keyspace + ".listening_log";
    protocol = session.getContext().getProtocolVersion();
    yes = TypeCodecs.BOOLEAN.encodePrimitive(true, protocol);
    insertLog =
        checked(
            session.prepare(
                "INSERT INTO "
                    + log
                    + " ("
                    + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            DataTypes.TEXT,
            DataTypes.INT,
            DataTypes.TIMESTAMP,
            DataTypes.UUID,
            DataTypes.TEXT,
            DataTypes.TEXT,
            DataTypes.TEXT,
            DataTypes.BIGINT,
            DataTypes.TEXT,
            DataTypes.TEXT,
            DataTypes.BOOLEAN,
            DataTypes.BOOLEAN,
            DataTypes.TIMESTAMP,
            DataTypes.TEXT);
    insertDay =
        checked(
            session.prepare(
                "INSERT INTO "
                    + keyspace
                    + ".daily_plays (day, bucket, event_id, track_id, country)"
                    + " VALUES (?, ?, ?, ?, ?)"),
            DataTypes.DATE,
            DataTypes.INT,
            DataTypes.UUID,
            DataTypes.TEXT,
            DataTypes.TEXT);
    before =
        session.prepare(
            "SELECT "
                + COLUMNS
                + " FROM "
                + log
                + " WHERE user_id = ? AND month = ? AND played_at < ?");
    after =
        session.prepare(
            "SELECT "
                + COLUMNS
                + " FROM "
                + log
                + " WHERE user_id = ? AND month = ? AND played_at > ? ORDER BY played_at ASC");
    between =
        session.prepare(
            "SELECT "
                + COLUMNS
                + " FROM "
                + log
                + " WHERE user_id = ? AND month = ? AND played_at >= ? AND played_at < ?");
    day =
        session.prepare(
            "SELECT track_id, country FROM "
                + keyspace
                + ".daily_plays WHERE day = ? AND bucket = ?");
  }

  /**
   * Prepares the statements (blocking: call from a worker thread, once per process).
   *
   * @param countAfter how long a play must last to count (charts, top items, recently played)
   */
  public static ListeningLog create(CqlSession session, String keyspace, Duration countAfter) {
    return new ListeningLog(session, keyspace, countAfter);
  }

  /** How long a play must last to count. */
  public Duration countAfter() {
    return countAfter;
  }

  /**
   * Writes one event: its log row and, when it counts, its row for the day's chart; both go at once
   * and the stage completes when both are written. Idempotent.
   */
  public CompletionStage<Void> write(ListeningEvent e) {
    long playedAt = e.playedAt().toEpochMilli();
    CompletableFuture<AsyncResultSet> log = execute(logRow(e, playedAt));
    if (!e.counts(countAfter)) {
      return log.thenApply(rs -> null);
    }
    CompletableFuture<AsyncResultSet> daily = execute(dayRow(e, playedAt));
    return CompletableFuture.allOf(log, daily);
  }

  /**
   * The event's log row. The values are encoded here with the columns' own codecs (checked against
   * the table when the statements are prepared) rather than looked up per value by the driver's
   * codec registry, which a sink writing thousands of rows a second feels; an optional column that
   * is null (or a flag that is false) is left unset: a bound null writes a tombstone per row (and
   * every read of the log then skips them), an unset column is simply not written.
   */
  private BoundStatement logRow(ListeningEvent e, long playedAt) {
    BoundStatementBuilder row = insertLog.boundStatementBuilder();
    row.setBytesUnsafe(0, text(e.userId()));
    row.setBytesUnsafe(
        1, TypeCodecs.INT.encodePrimitive(ListeningEvent.monthOf(playedAt), protocol));
    // A timestamp is encoded as its epoch milliseconds, exactly as a bigint is.
    row.setBytesUnsafe(2, TypeCodecs.BIGINT.encodePrimitive(playedAt, protocol));
    row.setBytesUnsafe(3, TypeCodecs.UUID.encode(e.eventId(), protocol));
    row.setBytesUnsafe(4, text(e.trackId()));
    row.setBytesUnsafe(5, text(e.deviceId()));
    if (e.contextUri() != null) {
      row.setBytesUnsafe(6, text(e.contextUri()));
    }
    row.setBytesUnsafe(7, TypeCodecs.BIGINT.encodePrimitive(e.msPlayed(), protocol));
    row.setBytesUnsafe(8, text(e.reasonStart()));
    row.setBytesUnsafe(9, text(e.reasonEnd()));
    if (e.shuffle()) {
      row.setBytesUnsafe(10, yes.duplicate());
    }
    if (e.offline()) {
      row.setBytesUnsafe(11, yes.duplicate());
    }
    if (e.clientTimestamp() != null) {
      row.setBytesUnsafe(12, TypeCodecs.TIMESTAMP.encode(e.clientTimestamp(), protocol));
    }
    if (e.country() != null) {
      row.setBytesUnsafe(13, text(e.country()));
    }
    return row.build();
  }

  /** The event's row in its day's chart ({@link #logRow} says why the values are encoded here). */
  private BoundStatement dayRow(ListeningEvent e, long playedAt) {
    BoundStatementBuilder row = insertDay.boundStatementBuilder();
    row.setBytesUnsafe(0, TypeCodecs.DATE.encode(ListeningEvent.dayOf(playedAt), protocol));
    row.setBytesUnsafe(1, TypeCodecs.INT.encodePrimitive(bucketOf(e), protocol));
    row.setBytesUnsafe(2, TypeCodecs.UUID.encode(e.eventId(), protocol));
    row.setBytesUnsafe(3, text(e.trackId()));
    if (e.country() != null) {
      row.setBytesUnsafe(4, text(e.country()));
    }
    return row.build();
  }

  /** A CQL text value: UTF-8 ({@code String.getBytes} is far faster than a charset encoder). */
  private static ByteBuffer text(String value) {
    return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Fails unless the statement's bound variables are, in order, of these types: the rows above are
   * encoded for exactly them, so a table changed by a later migration must change them too.
   */
  private static PreparedStatement checked(PreparedStatement statement, DataType... types) {
    var variables = statement.getVariableDefinitions();
    boolean same = variables.size() == types.length;
    for (int i = 0; same && i < types.length; i++) {
      same = variables.get(i).getType().equals(types[i]);
    }
    if (!same) {
      List<DataType> found = new ArrayList<>();
      variables.forEach(v -> found.add(v.getType()));
      throw new IllegalStateException(
          "The listening log's tables do not have the expected columns: "
              + found
              + " where "
              + List.of(types)
              + " was expected (migration V007)");
    }
    return statement;
  }

  /**
   * Writes a row (or a batch) at LOCAL_QUORUM, retried by the driver when it times out: every write
   * here is idempotent. (The consistency is set on the statement sent, never on a batch's children:
   * a batch ignores theirs.)
   */
  private CompletableFuture<AsyncResultSet> execute(
      com.datastax.oss.driver.api.core.cql.Statement<?> statement) {
    return session
        .executeAsync(
            statement.setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setIdempotent(true))
        .toCompletableFuture();
  }

  /**
   * Writes many events, as {@link #write} does for one, in few requests and few mutations: the rows
   * (log rows and, for the plays that count, chart rows) are grouped by the replicas that own their
   * partitions (the driver's token map), within that by partition, and each replica group goes as
   * unlogged batches of at most {@value #BATCH_ROWS} rows, a partition's rows side by side. Such a
   * batch is one request that its coordinator, itself a replica of every row in it (the driver
   * routes it by its first row), applies locally, and the rows of one partition in it become one
   * mutation: far cheaper than a request or a mutation per row, which is what bounds a sink on
   * ScyllaDB's and Cassandra's write path. (A batch of rows of different replicas would instead
   * make the coordinator forward them.) The chart rows of a day share {@value #DAY_BUCKETS}
   * partitions, so events sorted by {@link #writeOrder} merge best. An unlogged batch is not atomic
   * and need not be: every row is idempotent, and a failed batch is written again whole. The stage
   * completes once every batch is written and fails if any failed (the caller writes the lot
   * again).
   */
  public CompletionStage<Void> writeAll(List<ListeningEvent> events) {
    Map<Object, Map<Partition, List<BoundStatement>>> byReplicas = new HashMap<>();
    for (ListeningEvent e : events) {
      long playedAt = e.playedAt().toEpochMilli();
      add(byReplicas, insertLog, logRow(e, playedAt));
      if (e.counts(countAfter)) {
        add(byReplicas, insertDay, dayRow(e, playedAt));
      }
    }
    List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
    for (Map<Partition, List<BoundStatement>> partitions : byReplicas.values()) {
      List<BoundStatement> batch = new ArrayList<>(BATCH_ROWS);
      for (List<BoundStatement> rows : partitions.values()) {
        for (BoundStatement row : rows) {
          batch.add(row);
          if (batch.size() == BATCH_ROWS) {
            writes.add(executeRows(batch));
            batch = new ArrayList<>(BATCH_ROWS);
          }
        }
      }
      if (!batch.isEmpty()) {
        writes.add(executeRows(batch));
      }
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  /**
   * A sort key of events under which consecutive ones share chart partitions (by day and bucket): a
   * writer that splits many events into several {@link #writeAll} calls sorts them by it first.
   */
  public static long writeOrder(ListeningEvent e) {
    return ListeningEvent.dayOf(e.playedAt().toEpochMilli()).toEpochDay() * DAY_BUCKETS
        + bucketOf(e);
  }

  private CompletableFuture<AsyncResultSet> executeRows(List<BoundStatement> rows) {
    return execute(
        rows.size() == 1
            ? rows.get(0)
            : BatchStatement.newInstance(DefaultBatchType.UNLOGGED).addAll(rows));
  }

  /**
   * Rows per batch of {@link #writeAll}: a row is about 250 bytes (at most about 750, with every
   * text at its longest), so a batch stays under Cassandra's 50 KiB limit; the local Cassandra is
   * set to warn only above 48 KiB (ScyllaDB's own defaults are higher).
   */
  static final int BATCH_ROWS = 48;

  /** A partition of a table: its insert statement and its routing key. */
  private record Partition(PreparedStatement table, ByteBuffer key) {}

  private void add(
      Map<Object, Map<Partition, List<BoundStatement>>> byReplicas,
      PreparedStatement table,
      BoundStatement row) {
    ByteBuffer key = row.getRoutingKey();
    byReplicas
        .computeIfAbsent(replicasOf(key), k -> new LinkedHashMap<>())
        .computeIfAbsent(new Partition(table, key), k -> new ArrayList<>())
        .add(row);
  }

  /** The set of replicas of the row's partition; the keyspace's name while they are unknown. */
  private Object replicasOf(ByteBuffer key) {
    var tokenMap = session.getMetadata().getTokenMap();
    if (tokenMap.isEmpty() || key == null) {
      return keyspace;
    }
    var replicas = tokenMap.get().getReplicas(keyspace, key);
    return replicas.isEmpty() ? keyspace : replicas;
  }

  /**
   * The user's plays that count, ended strictly before {@code cursor}, newest first, at most {@code
   * limit}; looks back {@value #MONTHS_BACK} months before the cursor's.
   */
  public CompletionStage<List<ListeningEvent>> recentBefore(
      String userId, Instant cursor, int limit) {
    YearMonth month = YearMonth.from(cursor.atZone(ZoneOffset.UTC));
    List<ListeningEvent> found = new ArrayList<>();
    return monthsBackwards(userId, month, MONTHS_BACK, cursor, limit, found).thenApply(v -> found);
  }

  private CompletionStage<Void> monthsBackwards(
      String userId,
      YearMonth month,
      int monthsLeft,
      Instant cursor,
      int limit,
      List<ListeningEvent> found) {
    if (found.size() >= limit || monthsLeft < 0) {
      return CompletableFuture.completedFuture(null);
    }
    BoundStatement query =
        before.bind(userId, yyyymm(month), cursor).setPageSize(Math.max(limit, 50));
    return collect(session.executeAsync(query), this::counts, limit, found)
        .thenCompose(
            v ->
                monthsBackwards(
                    userId, month.minusMonths(1), monthsLeft - 1, cursor, limit, found));
  }

  /**
   * The user's {@code limit} plays that count and ended strictly after {@code cursor} (the earliest
   * of them), newest first; looks forward to the current month.
   */
  public CompletionStage<List<ListeningEvent>> recentAfter(
      String userId, Instant cursor, int limit, Instant now) {
    YearMonth month = YearMonth.from(cursor.atZone(ZoneOffset.UTC));
    YearMonth last = YearMonth.from(now.atZone(ZoneOffset.UTC));
    List<ListeningEvent> found = new ArrayList<>();
    return monthsForwards(userId, month, last, cursor, limit, found)
        .thenApply(
            v -> {
              List<ListeningEvent> newestFirst = new ArrayList<>(found);
              java.util.Collections.reverse(newestFirst);
              return newestFirst;
            });
  }

  private CompletionStage<Void> monthsForwards(
      String userId,
      YearMonth month,
      YearMonth last,
      Instant cursor,
      int limit,
      List<ListeningEvent> found) {
    if (found.size() >= limit || month.isAfter(last)) {
      return CompletableFuture.completedFuture(null);
    }
    BoundStatement query =
        after.bind(userId, yyyymm(month), cursor).setPageSize(Math.max(limit, 50));
    return collect(session.executeAsync(query), this::counts, limit, found)
        .thenCompose(v -> monthsForwards(userId, month.plusMonths(1), last, cursor, limit, found));
  }

  /**
   * Every play of the user that ended in [{@code from}, {@code to}), counting or not, newest first
   * (top items weigh them).
   */
  public CompletionStage<List<ListeningEvent>> between(String userId, Instant from, Instant to) {
    List<ListeningEvent> found = new ArrayList<>();
    YearMonth first = YearMonth.from(from.atZone(ZoneOffset.UTC));
    YearMonth month = YearMonth.from(to.atZone(ZoneOffset.UTC));
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (YearMonth m = month; !m.isBefore(first); m = m.minusMonths(1)) {
      BoundStatement query = between.bind(userId, yyyymm(m), from, to).setPageSize(1000);
      chain =
          chain.thenCompose(
              v -> collect(session.executeAsync(query), x -> true, Integer.MAX_VALUE, found));
    }
    return chain.thenApply(v -> found);
  }

  /**
   * The plays that counted on {@code day} (UTC), by track: all of them with {@code country} null,
   * else only those of listeners in that country.
   */
  public CompletionStage<Map<String, Long>> dailyCounts(LocalDate date, String country) {
    Map<String, Long> counts = new HashMap<>();
    List<CompletableFuture<Void>> buckets = new ArrayList<>();
    for (int bucket = 0; bucket < DAY_BUCKETS; bucket++) {
      BoundStatement query = day.bind(date, bucket).setPageSize(5000);
      buckets.add(countPages(session.executeAsync(query), country, counts).toCompletableFuture());
    }
    return CompletableFuture.allOf(buckets.toArray(CompletableFuture[]::new))
        .thenApply(v -> counts);
  }

  private CompletionStage<Void> countPages(
      CompletionStage<AsyncResultSet> page, String country, Map<String, Long> counts) {
    return page.thenCompose(
        rs -> {
          synchronized (counts) {
            for (Row row : rs.currentPage()) {
              if (country == null || country.equals(row.getString(1))) {
                counts.merge(row.getString(0), 1L, Long::sum);
              }
            }
          }
          return rs.hasMorePages()
              ? countPages(rs.fetchNextPage(), country, counts)
              : CompletableFuture.completedFuture(null);
        });
  }

  private boolean counts(ListeningEvent e) {
    return e.counts(countAfter);
  }

  private static CompletionStage<Void> collect(
      CompletionStage<AsyncResultSet> page,
      Predicate<ListeningEvent> keep,
      int limit,
      List<ListeningEvent> found) {
    return page.thenCompose(
        rs -> {
          for (Row row : rs.currentPage()) {
            ListeningEvent e = event(row);
            if (keep.test(e)) {
              found.add(e);
              if (found.size() >= limit) {
                return CompletableFuture.completedFuture(null);
              }
            }
          }
          return rs.hasMorePages()
              ? collect(rs.fetchNextPage(), keep, limit, found)
              : CompletableFuture.completedFuture(null);
        });
  }

  private static ListeningEvent event(Row row) {
    long msPlayed = row.getLong("ms_played");
    return new ListeningEvent(
        row.getUuid("event_id"),
        row.getString("user_id"),
        row.getString("track_id"),
        row.getString("device_id"),
        row.getString("context_uri"),
        row.getInstant("played_at").minusMillis(msPlayed),
        msPlayed,
        row.getString("reason_start"),
        row.getString("reason_end"),
        // A flag not written is false (getBoolean of a null is false).
        row.getBoolean("shuffle"),
        row.getBoolean("offline"),
        row.getInstant("client_ts"),
        row.getString("country"));
  }

  static int bucketOf(ListeningEvent e) {
    return Math.floorMod(e.eventId().hashCode(), DAY_BUCKETS);
  }

  private static int yyyymm(YearMonth month) {
    return month.getYear() * 100 + month.getMonthValue();
  }
}
