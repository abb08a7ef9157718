package io.cadenza.catalog.search.feed;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.ChangeFollower;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.search.IndexedAlbum;
import io.cadenza.catalog.search.IndexedArtist;
import io.cadenza.catalog.search.IndexedTrack;
import io.cadenza.catalog.search.ItemType;
import io.cadenza.catalog.search.SearchIndex;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.catalog.store.ScanPage;
import io.cadenza.catalog.store.ScanRange;
import io.cadenza.config.CadenzaSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's {@link SearchIndex} in line with the catalog store: at start it subscribes to
 * {@value CatalogChange#TOPIC} first (a consumer group of its own per start, from the end of the
 * topic, as {@code CacheInvalidation} does), then rebuilds the index from full scans of the store
 * on a thread of its own, then applies the changes received since the subscription, in the order
 * received. A change names an entity: its current row is read and indexed (an upsert), or the item
 * is removed (a delete, or an id whose row is gone). Repeated changes are harmless.
 *
 * <p>The rebuild holds the artists and albums in memory (a catalog has tens of times fewer of them
 * than tracks) and streams the tracks: a few token-range scans stay in flight while the index takes
 * the pages already read, so memory does not grow with the catalog. A failed rebuild (the store
 * unreachable, say) is tried again after {@link #RETRY_AFTER}. Searches are answered only once
 * {@link #ready()} completes; {@link #progress()} tells how far the rebuild is.
 *
 * <p>Renaming an artist re-indexes its albums (by {@code albumsOfArtist}) and their tracks;
 * renaming an album re-indexes its tracks. A track of another artist's album that features the
 * renamed artist keeps the old name until its own next change or the next start.
 */
public final class SearchService {

  private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);

  /** Rows per scan page. */
  private static final int SCAN_PAGE = 1_000;

  /** Albums or tracks per page when a rename re-indexes the items that carry the name. */
  private static final int DEPENDENTS_PAGE = 50;

  /** The store's largest page offset ({@code CatalogRepository}'s limit). */
  private static final int MAX_DEPENDENTS_OFFSET = 10_000;

  /** The pause before a failed rebuild is tried again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final CatalogRepository repository;
  private final SearchIndex index;
  private final int scans;
  private final Promise<Void> rebuilt = Promise.promise();
  private final AtomicLong artistsRead = new AtomicLong();
  private final AtomicLong albumsRead = new AtomicLong();
  private final AtomicLong tracksRead = new AtomicLong();
  private volatile String lastFailure;
  private volatile boolean closed;
  private Thread rebuilder;
  private Context context;
  private ChangeFollower follower;

  /** The end of the chain that applies changes one after another; the rebuild heads it. */
  private Future<Void> applied;

  private SearchService(Vertx vertx, CatalogRepository repository, SearchIndex index, int scans) {
    if (scans < 1) {
      throw new IllegalArgumentException("scans must be at least 1: " + scans);
    }
    this.vertx = vertx;
    this.repository = repository;
    this.index = index;
    this.scans = scans;
  }

  /**
   * Subscribes to the feed, then starts the rebuild in the background; completes once subscribed.
   * {@link #ready()} completes when the rebuilt index is visible to searches (the changes received
   * meanwhile are applied after it, without being waited for).
   *
   * @param scans how many token-range scans of the tracks the rebuild keeps in flight
   */
  public static Future<SearchService> start(
      Vertx vertx,
      CadenzaSettings.Kafka kafka,
      String nodeName,
      CatalogRepository repository,
      SearchIndex index,
      int scans) {
    SearchService service = new SearchService(vertx, repository, index, scans);
    service.applied = service.rebuilt.future().recover(e -> Future.succeededFuture());
    return ChangeFollower.start(vertx, kafka, nodeName, "catalog-search", service::enqueue)
        .map(
            follower -> {
              service.follower = follower;
              service.context = vertx.getOrCreateContext();
              Thread thread = new Thread(service::rebuildUntilDone, "search-rebuild-" + nodeName);
              thread.setDaemon(true);
              service.rebuilder = thread;
              thread.start();
              return service;
            });
  }

  /** The index this service maintains. */
  public SearchIndex index() {
    return index;
  }

  /** Completes when the index has been rebuilt from the store and searches see it. */
  public Future<Void> ready() {
    return rebuilt.future();
  }

  /** How far the rebuild is. */
  public Progress progress() {
    return new Progress(
        rebuilt.future().succeeded(),
        artistsRead.get(),
        albumsRead.get(),
        tracksRead.get(),
        lastFailure);
  }

  /**
   * What the rebuild has read so far.
   *
   * @param lastFailure why the last attempt failed (it is being tried again), or null
   */
  public record Progress(
      boolean ready, long artists, long albums, long tracks, String lastFailure) {}

  /**
   * Stops following the feed and the rebuild, if it still runs (the index stays open; its owner
   * closes it after this completes). The rebuild stops at its next page; it is not interrupted,
   * since an interrupt inside Lucene's file I/O would close the index.
   */
  public Future<Void> close() {
    closed = true;
    Thread thread = rebuilder;
    Future<Void> stopped =
        thread == null
            ? Future.succeededFuture()
            : vertx.executeBlocking(
                () -> {
                  thread.join(30_000);
                  return null;
                });
    return Future.join(stopped, follower == null ? Future.succeededFuture() : follower.close())
        .mapEmpty();
  }

  // ---- changes

  private void enqueue(CatalogChange change) {
    applied =
        applied.compose(
            v ->
                apply(change)
                    .recover(
                        e -> {
                          LOG.warn(
                              "Could not apply {} {} {} to the search index: {}",
                              change.op().wire(),
                              change.type().wire(),
                              change.id(),
                              e.toString());
                          return Future.succeededFuture();
                        }));
  }

  private Future<Void> apply(CatalogChange change) {
    ItemType type =
        switch (change.type()) {
          case ARTIST -> ItemType.ARTIST;
          case ALBUM -> ItemType.ALBUM;
          case TRACK -> ItemType.TRACK;
        };
    if (change.op() == CatalogChange.Op.DELETE) {
      return blocking(() -> index.delete(type, change.id()));
    }
    return switch (change.type()) {
      case ARTIST ->
          repository
              .artist(change.id())
              .compose(
                  found ->
                      found.isEmpty()
                          ? blocking(() -> index.delete(type, change.id()))
                          : renamedBy(
                                  type,
                                  change.id(),
                                  found.get().name(),
                                  () -> index.upsert(artist(found.get())))
                              .compose(
                                  renamed ->
                                      renamed
                                          ? reindexAlbumsOf(change.id(), 0)
                                          : Future.succeededFuture()));
      case ALBUM ->
          repository
              .album(change.id())
              .compose(
                  found ->
                      found.isEmpty()
                          ? blocking(() -> index.delete(type, change.id()))
                          : artistsOf(found.get().artistIds())
                              .compose(
                                  artists ->
                                      renamedBy(
                                          type,
                                          change.id(),
                                          found.get().name(),
                                          () -> index.upsert(album(found.get(), artists))))
                              .compose(
                                  renamed ->
                                      renamed
                                          ? reindexTracksOf(change.id(), 0)
                                          : Future.succeededFuture()));
      case TRACK ->
          repository
              .track(change.id())
              .compose(
                  found ->
                      found.isEmpty()
                          ? blocking(() -> index.delete(type, change.id()))
                          : trackOf(found.get()).compose(t -> blocking(() -> index.upsert(t))));
    };
  }

  /**
   * Indexes an artist or an album with {@code upsert}; true when it was indexed under another name
   * before, so the albums and tracks that carry its name must be indexed again.
   */
  private Future<Boolean> renamedBy(
      ItemType type, String id, String name, java.util.function.LongSupplier upsert) {
    return vertx.executeBlocking(
        () -> {
          Optional<String> before = index.indexedName(type, id);
          upsert.getAsLong();
          return before.isPresent() && !before.get().equals(name);
        });
  }

  /** Re-indexes a renamed artist's albums and their tracks, a page of albums at a time. */
  private Future<Void> reindexAlbumsOf(String artistId, int offset) {
    return repository
        .albumsOfArtist(artistId, offset, DEPENDENTS_PAGE)
        .compose(
            page ->
                inTurn(
                        page.items(),
                        album ->
                            artistsOf(album.artistIds())
                                .compose(
                                    artists -> blocking(() -> index.upsert(album(album, artists))))
                                .compose(v -> reindexTracksOf(album.id(), 0)))
                    .compose(
                        v ->
                            page.hasNext() && offset + DEPENDENTS_PAGE <= MAX_DEPENDENTS_OFFSET
                                ? reindexAlbumsOf(artistId, offset + DEPENDENTS_PAGE)
                                : Future.succeededFuture()));
  }

  /** Re-indexes the tracks of an album whose name (or artist's name) changed. */
  private Future<Void> reindexTracksOf(String albumId, int offset) {
    return repository
        .tracksOfAlbum(albumId, offset, DEPENDENTS_PAGE)
        .compose(
            page ->
                inTurn(
                        page.items(),
                        track -> trackOf(track).compose(t -> blocking(() -> index.upsert(t))))
                    .compose(
                        v ->
                            page.hasNext() && offset + DEPENDENTS_PAGE <= MAX_DEPENDENTS_OFFSET
                                ? reindexTracksOf(albumId, offset + DEPENDENTS_PAGE)
                                : Future.succeededFuture()));
  }

  /** Runs {@code step} for each item, one after another. */
  private static <T> Future<Void> inTurn(List<T> items, Function<T, Future<?>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item).mapEmpty());
    }
    return chain;
  }

  /** A track with its album's and artists' names, read from the store. */
  private Future<IndexedTrack> trackOf(Track track) {
    return repository
        .album(track.albumId())
        .compose(
            album -> {
              List<String> artistIds = new ArrayList<>(track.artistIds());
              album.ifPresent(a -> artistIds.addAll(a.artistIds()));
              return artistsOf(artistIds)
                  .map(
                      artists ->
                          track(track, album.map(a -> album(a, artists)).orElse(null), artists));
            });
  }

  private Future<Map<String, IndexedArtist>> artistsOf(List<String> ids) {
    return readAll(ids, repository::artists)
        .map(
            found -> {
              Map<String, IndexedArtist> out = new LinkedHashMap<>();
              found.forEach((id, a) -> out.put(id, artist(a)));
              return out;
            });
  }

  private Future<Void> blocking(java.util.function.LongSupplier write) {
    return vertx.executeBlocking(
        () -> {
          write.getAsLong();
          return null;
        });
  }

  // ---- rebuild (on the rebuilder thread: it blocks on the store's futures)

  private void rebuildUntilDone() {
    while (!closed) {
      try {
        rebuild();
        lastFailure = null;
        context.runOnContext(v -> rebuilt.tryComplete());
        return;
      } catch (RuntimeException e) {
        if (closed) {
          break;
        }
        lastFailure = e.toString();
        LOG.warn(
            "Could not rebuild the search index (trying again in {} s): {}",
            RETRY_AFTER.toSeconds(),
            e.toString());
        long until = System.nanoTime() + RETRY_AFTER.toNanos();
        while (!closed && System.nanoTime() < until) {
          try {
            Thread.sleep(100);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            closed = true;
          }
        }
      }
    }
    context.runOnContext(
        v -> rebuilt.tryFail("The search service was closed before its index was rebuilt"));
  }

  private void rebuild() {
    artistsRead.set(0);
    albumsRead.set(0);
    tracksRead.set(0);
    Map<String, IndexedArtist> artists = new LinkedHashMap<>();
    pages(repository::scanArtists, 1)
        .forEachRemaining(
            page -> {
              page.forEach(a -> artists.put(a.id(), artist(a)));
              artistsRead.addAndGet(page.size());
            });
    Map<String, IndexedAlbum> albums = new LinkedHashMap<>();
    pages(repository::scanAlbums, 1)
        .forEachRemaining(
            page -> {
              page.forEach(a -> albums.put(a.id(), album(a, artists)));
              albumsRead.addAndGet(page.size());
            });
    Iterator<List<Track>> trackPages = pages(repository::scanTracks, scans);
    Stream<IndexedTrack> tracks =
        StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(trackPages, Spliterator.ORDERED), false)
            .flatMap(
                page -> {
                  tracksRead.addAndGet(page.size());
                  return page.stream().map(t -> track(t, albums.get(t.albumId()), artists));
                });
    SearchIndex.RebuildStats stats =
        index.rebuild(artists.values().stream(), albums.values().stream(), tracks);
    LOG.info(
        "Search index ready: {} artists, {} albums, {} tracks in {} s.",
        stats.artists(),
        stats.albums(),
        stats.tracks(),
        String.format("%.1f", stats.took().toMillis() / 1000.0));
  }

  /**
   * The pages of a whole table, read with {@code parallel} token-range scans in flight: taking a
   * page asks for the next page of its range before handing it over, so the store works while the
   * caller indexes. Pages come in the order they were asked for. Blocks; throws what a read threw.
   */
  private <T> Iterator<List<T>> pages(
      BiFunction<ScanRange, Integer, Future<ScanPage<T>>> read, int parallel) {
    ArrayDeque<CompletableFuture<ScanPage<T>>> inFlight = new ArrayDeque<>();
    Function<ScanRange, CompletableFuture<ScanPage<T>>> ask =
        range -> read.apply(range, SCAN_PAGE).toCompletionStage().toCompletableFuture();
    ScanRange.all().split(parallel).forEach(range -> inFlight.add(ask.apply(range)));
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !inFlight.isEmpty();
      }

      @Override
      public List<T> next() {
        if (closed) {
          throw new IllegalStateException("the search service was closed");
        }
        CompletableFuture<ScanPage<T>> head = inFlight.poll();
        if (head == null) {
          throw new NoSuchElementException();
        }
        ScanPage<T> page;
        try {
          page = head.join();
        } catch (CompletionException e) {
          inFlight.forEach(f -> f.cancel(false));
          throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        page.next().ifPresent(range -> inFlight.add(ask.apply(range)));
        return page.items();
      }
    };
  }

  // ---- mapping

  private static IndexedArtist artist(Artist artist) {
    return new IndexedArtist(artist.id(), artist.name(), artist.genres(), artist.popularity());
  }

  /** An album with the names of its artists found in {@code artists}. */
  private static IndexedAlbum album(Album album, Map<String, IndexedArtist> artists) {
    return new IndexedAlbum(
        album.id(),
        album.name(),
        album.artistIds(),
        names(album.artistIds(), artists),
        album.releaseDate(),
        album.albumType(),
        album.genres(),
        null,
        album.popularity());
  }

  /**
   * A track with its album's name and release date and its artists' names; a track's genres are its
   * own, its album's and its artists'.
   */
  private static IndexedTrack track(
      Track track, IndexedAlbum album, Map<String, IndexedArtist> artists) {
    LinkedHashSet<String> genres = new LinkedHashSet<>(track.genres());
    if (album != null) {
      genres.addAll(album.genres());
    }
    for (String id : track.artistIds()) {
      IndexedArtist artist = artists.get(id);
      if (artist != null) {
        genres.addAll(artist.genres());
      }
    }
    return new IndexedTrack(
        track.id(),
        track.name(),
        track.albumId(),
        album == null ? null : album.name(),
        track.artistIds(),
        names(track.artistIds(), artists),
        album == null ? null : album.releaseDate(),
        List.copyOf(genres),
        track.isrc(),
        track.durationMs(),
        track.explicit(),
        track.popularity());
  }

  /** The names of the artists found, in the order of the ids. */
  private static List<String> names(List<String> ids, Map<String, IndexedArtist> artists) {
    if (ids.isEmpty()) {
      return Collections.emptyList();
    }
    List<String> names = new ArrayList<>(ids.size());
    for (String id : ids) {
      IndexedArtist artist = artists.get(id);
      if (artist != null) {
        names.add(artist.name());
      }
    }
    return names;
  }

  /** A batch read of any number of ids, in batches of the repository's largest. */
  private static <T> Future<Map<String, T>> readAll(
      List<String> ids, Function<Collection<String>, Future<Map<String, T>>> read) {
    List<String> wanted = List.copyOf(new LinkedHashSet<>(ids));
    List<Future<Map<String, T>>> batches = new ArrayList<>();
    for (int from = 0; from < wanted.size(); from += CatalogRepository.MAX_IDS) {
      batches.add(
          read.apply(
              wanted.subList(from, Math.min(wanted.size(), from + CatalogRepository.MAX_IDS))));
    }
    return Future.all(batches)
        .map(
            all -> {
              Map<String, T> out = new LinkedHashMap<>();
              batches.forEach(b -> out.putAll(b.result()));
              return out;
            });
  }
}
