package io.cadenza.catalog.search.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps searches near real time: refreshes the {@link SearcherManager} at most {@code maxStale}
 * after a change, {@code minStale} after one when a caller waits for it, and only every {@link
 * #BULK_STALE} while a bulk load runs.
 *
 * <p>Lucene's {@code ControlledRealTimeReopenThread} does the first two but cannot slow down: each
 * refresh turns the writer's buffer into a small segment that must later be merged, and refreshing
 * four times a second made a 100,000-track rebuild six times slower than refreshing once at the
 * end. A generation is an {@link IndexWriter} sequence number; once a refresh that started after it
 * completes, the change is visible.
 */
final class Refresher implements AutoCloseable {

  /** How stale searches may get while a bulk load is writing. */
  static final Duration BULK_STALE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(Refresher.class);

  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final long maxStaleNanos;
  private final long minStaleNanos;
  private final Thread thread;

  // Guarded by this.
  private long visibleGeneration = -1;
  private long wantedGeneration = -1;
  private long lastRefresh = System.nanoTime();
  private int bulkLoads;
  private boolean closed;

  Refresher(IndexWriter writer, SearcherManager searchers, Duration maxStale, Duration minStale) {
    this.writer = writer;
    this.searchers = searchers;
    this.maxStaleNanos = maxStale.toNanos();
    this.minStaleNanos = minStale.toNanos();
    this.thread = new Thread(this::run, "search-index-refresh");
    thread.setDaemon(true);
    thread.start();
  }

  synchronized void bulkLoadStarted() {
    bulkLoads++;
  }

  synchronized void bulkLoadEnded() {
    bulkLoads--;
    notifyAll();
  }

  /** Waits until every change up to {@code generation} is visible; false on timeout or close. */
  boolean awaitVisible(long generation, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      if (generation > wantedGeneration) {
        wantedGeneration = generation;
        notifyAll();
      }
      while (visibleGeneration < generation) {
        long left = deadline - System.nanoTime();
        if (closed || left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }

  /** Refreshes now, on the caller's thread: everything written before is visible after. */
  void refreshNow() throws IOException {
    long generation = writer.getMaxCompletedSequenceNumber();
    searchers.maybeRefreshBlocking();
    synchronized (this) {
      visibleGeneration = Math.max(visibleGeneration, generation);
      lastRefresh = System.nanoTime();
      notifyAll();
    }
  }

  private void run() {
    while (awaitDue()) {
      try {
        refreshNow();
      } catch (IOException | AlreadyClosedException e) {
        LOG.warn("Could not refresh the search index; searches see older data until it can.", e);
        synchronized (this) {
          lastRefresh = System.nanoTime();
        }
      }
    }
  }

  /** Waits until a refresh is due; false when closed. */
  private synchronized boolean awaitDue() {
    try {
      while (!closed) {
        long stale =
            bulkLoads > 0
                ? BULK_STALE.toNanos()
                : wantedGeneration > visibleGeneration ? minStaleNanos : maxStaleNanos;
        long due = lastRefresh + stale - System.nanoTime();
        if (due <= 0) {
          return true;
        }
        TimeUnit.NANOSECONDS.timedWait(this, due);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
