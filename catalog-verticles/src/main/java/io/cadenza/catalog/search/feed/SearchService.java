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
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's {@link SearchIndex} in line with the catalog store: at start it subscribes to
 * {@value CatalogChange#TOPIC} first (a consumer group of its own per start, from the end of the
 * topic, as {@code CacheInvalidation} does), then rebuilds the index from full scans of the store,
 * then applies the changes received since the subscription, in the order received. A change names
 * an entity: its current row is read and indexed (an upsert), or the item is removed (a delete, or
 * an id whose row is gone). Repeated changes are harmless.
 *
 * <p>The rebuild gathers the scanned catalog in memory before handing it to the index, and the
 * index is what the caller opened (the node uses {@link SearchIndex.Options#inMemory()} for now).
 * Renaming an artist or an album re-indexes that entity only: the tracks and albums carrying the
 * old name keep it until their own next change or the next start.
 */
public final class SearchService {

  private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);

  /** Rows per scan page. */
  private static final int SCAN_PAGE = 1_000;

  private final Vertx vertx;
  private final CatalogRepository repository;
  private final SearchIndex index;
  private ChangeFollower follower;

  /** The end of the chain that applies changes one after another; the rebuild heads it. */
  private Future<Void> applied;

  private SearchService(Vertx vertx, CatalogRepository repository, SearchIndex index) {
    this.vertx = vertx;
    this.repository = repository;
    this.index = index;
  }

  /**
   * Subscribes, rebuilds, and completes when the rebuilt index is visible to searches (the changes
   * received meanwhile are applied after it, without being waited for).
   */
  public static Future<SearchService> start(
      Vertx vertx,
      CadenzaSettings.Kafka kafka,
      String nodeName,
      CatalogRepository repository,
      SearchIndex index) {
    SearchService service = new SearchService(vertx, repository, index);
    Promise<Void> rebuilt = Promise.promise();
    service.applied = rebuilt.future().recover(e -> Future.succeededFuture());
    return ChangeFollower.start(vertx, kafka, nodeName, "catalog-search", service::enqueue)
        .compose(
            follower -> {
              service.follower = follower;
              return service.rebuild().onFailure(e -> follower.close());
            })
        .onComplete(rebuilt)
        .map(v -> service);
  }

  /** The index this service maintains. */
  public SearchIndex index() {
    return index;
  }

  /** Stops following the feed (the index stays open; its owner closes it). */
  public Future<Void> close() {
    return follower.close();
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
                      found.isPresent()
                          ? blocking(() -> index.upsert(artist(found.get())))
                          : blocking(() -> index.delete(type, change.id())));
      case ALBUM ->
          repository
              .album(change.id())
              .compose(
                  found ->
                      found.isEmpty()
                          ? blocking(() -> index.delete(type, change.id()))
                          : albums(List.of(found.get()))
                              .compose(albums -> blocking(() -> index.upsert(albums.get(0)))));
      case TRACK ->
          repository
              .track(change.id())
              .compose(
                  found ->
                      found.isEmpty()
                          ? blocking(() -> index.delete(type, change.id()))
                          : tracks(List.of(found.get()))
                              .compose(tracks -> blocking(() -> index.upsert(tracks.get(0)))));
    };
  }

  private Future<Void> blocking(java.util.function.LongSupplier write) {
    return vertx.executeBlocking(
        () -> {
          write.getAsLong();
          return null;
        });
  }

  // ---- rebuild

  private Future<Void> rebuild() {
    List<IndexedArtist> artists = new ArrayList<>();
    List<IndexedAlbum> albums = new ArrayList<>();
    List<IndexedTrack> tracks = new ArrayList<>();
    return scan(
            repository::scanArtists,
            page -> {
              page.forEach(a -> artists.add(artist(a)));
              return Future.succeededFuture();
            })
        .compose(v -> scan(repository::scanAlbums, page -> albums(page).map(albums::addAll)))
        .compose(v -> scan(repository::scanTracks, page -> tracks(page).map(tracks::addAll)))
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> index.rebuild(artists.stream(), albums.stream(), tracks.stream())))
        .onSuccess(
            stats ->
                LOG.info(
                    "Search index ready: {} artists, {} albums, {} tracks.",
                    stats.artists(),
                    stats.albums(),
                    stats.tracks()))
        .mapEmpty();
  }

  /** Scans a whole table page by page, handing each page over before reading the next. */
  private <T> Future<Void> scan(
      BiFunction<ScanRange, Integer, Future<ScanPage<T>>> read,
      Function<List<T>, Future<?>> consume) {
    return scanFrom(ScanRange.all(), read, consume);
  }

  private <T> Future<Void> scanFrom(
      ScanRange range,
      BiFunction<ScanRange, Integer, Future<ScanPage<T>>> read,
      Function<List<T>, Future<?>> consume) {
    return read.apply(range, SCAN_PAGE)
        .compose(
            page ->
                consume
                    .apply(page.items())
                    .compose(
                        v ->
                            page.next().isPresent()
                                ? scanFrom(page.next().get(), read, consume)
                                : Future.succeededFuture()));
  }

  // ---- mapping

  private static IndexedArtist artist(Artist artist) {
    return new IndexedArtist(artist.id(), artist.name(), artist.genres(), artist.popularity());
  }

  /** Albums with their artists' names (one batch read of the artists per call). */
  private Future<List<IndexedAlbum>> albums(List<Album> page) {
    List<String> artistIds = new ArrayList<>();
    page.forEach(a -> artistIds.addAll(a.artistIds()));
    return readAll(artistIds, repository::artists)
        .map(
            artists ->
                page.stream()
                    .map(
                        album ->
                            new IndexedAlbum(
                                album.id(),
                                album.name(),
                                album.artistIds(),
                                names(album.artistIds(), artists),
                                album.releaseDate(),
                                album.albumType(),
                                album.genres(),
                                null,
                                album.popularity()))
                    .toList());
  }

  /**
   * Tracks with their album's name and release date and their artists' names; a track's genres are
   * its own, its album's and its artists'.
   */
  private Future<List<IndexedTrack>> tracks(List<Track> page) {
    List<String> albumIds = page.stream().map(Track::albumId).toList();
    return readAll(albumIds, repository::albums)
        .compose(
            albums -> {
              List<String> artistIds = new ArrayList<>();
              page.forEach(t -> artistIds.addAll(t.artistIds()));
              return readAll(artistIds, repository::artists)
                  .map(
                      artists ->
                          page.stream()
                              .map(track -> track(track, albums.get(track.albumId()), artists))
                              .toList());
            });
  }

  private static IndexedTrack track(Track track, Album album, Map<String, Artist> artists) {
    LinkedHashSet<String> genres = new LinkedHashSet<>(track.genres());
    Optional.ofNullable(album).ifPresent(a -> genres.addAll(a.genres()));
    track.artistIds().stream()
        .map(artists::get)
        .filter(a -> a != null)
        .forEach(a -> genres.addAll(a.genres()));
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
  private static List<String> names(List<String> ids, Map<String, Artist> artists) {
    return ids.stream().map(artists::get).filter(a -> a != null).map(Artist::name).toList();
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
