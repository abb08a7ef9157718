package io.cadenza.catalog.load;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.CatalogRepository;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CatalogSink} that writes through a {@link CatalogRepository} (the same write path as any
 * other write: rows, then the change event) with at most {@code maxInFlight} writes under way. The
 * thread that feeds it blocks while that many are in flight; the writes themselves run on one
 * Vert.x context. A failed write is counted and reported, and the rest go on, up to {@value
 * #MAX_FAILURES} failures: then the next hand-over throws, since a database or broker that refuses
 * that many writes will refuse the rest too.
 */
public final class BulkWriter implements CatalogSink {

  private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);
  private static final int FAILURES_KEPT = 20;

  /** Failed writes after which the writer refuses more. */
  public static final int MAX_FAILURES = 100;

  /** Told after each track is written (or has failed). */
  public interface Progress {
    void trackDone(Track track);
  }

  /** What a run wrote. */
  public record Result(int artists, int albums, int tracks, int failed, List<String> failures) {}

  private final CatalogRepository repository;
  private final Context context;
  private final Semaphore slots;
  private final int maxInFlight;
  private final Progress progress;
  private final AtomicInteger artists = new AtomicInteger();
  private final AtomicInteger albums = new AtomicInteger();
  private final AtomicInteger tracks = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

  public BulkWriter(
      CatalogRepository repository, Context context, int maxInFlight, Progress progress) {
    if (maxInFlight < 1 || maxInFlight > 4096) {
      throw new IllegalArgumentException("maxInFlight must be 1 to 4096");
    }
    this.repository = repository;
    this.context = context;
    this.maxInFlight = maxInFlight;
    this.slots = new Semaphore(maxInFlight);
    this.progress = progress;
  }

  @Override
  public void artist(Artist artist) {
    submit("artist " + artist.id(), () -> repository.putArtist(artist), artists, null);
  }

  @Override
  public void album(Album album) {
    submit("album " + album.id(), () -> repository.putAlbum(album), albums, null);
  }

  @Override
  public void track(Track track) {
    submit("track " + track.id(), () -> repository.putTrack(track), tracks, track);
  }

  private void submit(String what, Supplier<Future<?>> write, AtomicInteger written, Track track) {
    if (failed.get() >= MAX_FAILURES) {
      throw new IllegalStateException(
          MAX_FAILURES + " catalog writes failed, giving up; the first: " + failures.get(0));
    }
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a write slot", e);
    }
    context.runOnContext(
        v -> {
          Future<?> future;
          try {
            future = write.get();
          } catch (RuntimeException e) {
            future = Future.failedFuture(e);
          }
          future.onComplete(
              result -> {
                if (result.succeeded()) {
                  written.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                  String message = what + ": " + result.cause();
                  if (failures.size() < FAILURES_KEPT) {
                    failures.add(message);
                    LOG.warn("Catalog write of {} failed.", what, result.cause());
                  }
                }
                slots.release();
                if (track != null && progress != null) {
                  progress.trackDone(track);
                }
              });
        });
  }

  /** Waits until every submitted write has finished. */
  public Result finish(long timeout, TimeUnit unit) throws InterruptedException {
    if (!slots.tryAcquire(maxInFlight, timeout, unit)) {
      throw new IllegalStateException(
          "catalog writes did not finish within " + timeout + " " + unit);
    }
    slots.release(maxInFlight);
    return new Result(
        artists.get(), albums.get(), tracks.get(), failed.get(), List.copyOf(failures));
  }
}
