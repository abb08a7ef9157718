package io.cadenza.catalog.cache;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.model.TrackMedia;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.catalog.store.Page;
import io.cadenza.catalog.store.ScanPage;
import io.cadenza.catalog.store.ScanRange;
import io.cadenza.catalog.store.Slice;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link CatalogRepository} whose reads by id (single and batch) go through the near-cache and
 * Redis ({@link EntityCache}); lists, scans and writes go straight to the repository. A write
 * evicts its id here at once; the other nodes evict when the change reaches them on the {@value
 * CatalogChange#TOPIC} feed ({@link CacheInvalidation}).
 */
public final class CachedCatalog implements CatalogRepository {

  private final CatalogRepository repository;
  private final EntityCache<Artist> artists;
  private final EntityCache<Album> albums;
  private final EntityCache<Track> tracks;

  public CachedCatalog(
      Vertx vertx,
      CatalogRepository repository,
      Redis redis,
      CacheSettings settings,
      MeterRegistry metrics) {
    this.repository = repository;
    AtomicBoolean redisDown = new AtomicBoolean();
    this.artists =
        new EntityCache<>(
            vertx,
            "artist",
            redis,
            settings,
            metrics,
            redisDown,
            RecordJson::artist,
            RecordJson::artist,
            repository::artists);
    this.albums =
        new EntityCache<>(
            vertx,
            "album",
            redis,
            settings,
            metrics,
            redisDown,
            RecordJson::album,
            RecordJson::album,
            repository::albums);
    this.tracks =
        new EntityCache<>(
            vertx,
            "track",
            redis,
            settings,
            metrics,
            redisDown,
            RecordJson::track,
            RecordJson::track,
            repository::tracks);
  }

  /** Drops the changed entity from this node's near-cache and from Redis. */
  public Future<Void> evict(CatalogChange change) {
    return switch (change.type()) {
      case ARTIST -> artists.evict(change.id());
      case ALBUM -> albums.evict(change.id());
      case TRACK -> tracks.evict(change.id());
    };
  }

  // ---- cached reads by id

  @Override
  public Future<Optional<Artist>> artist(String id) {
    return artists.getAll(List.of(id)).map(found -> Optional.ofNullable(found.get(id)));
  }

  @Override
  public Future<Optional<Album>> album(String id) {
    return albums.getAll(List.of(id)).map(found -> Optional.ofNullable(found.get(id)));
  }

  @Override
  public Future<Optional<Track>> track(String id) {
    return tracks.getAll(List.of(id)).map(found -> Optional.ofNullable(found.get(id)));
  }

  @Override
  public Future<Map<String, Artist>> artists(Collection<String> ids) {
    return artists.getAll(ids);
  }

  @Override
  public Future<Map<String, Album>> albums(Collection<String> ids) {
    return albums.getAll(ids);
  }

  @Override
  public Future<Map<String, Track>> tracks(Collection<String> ids) {
    return tracks.getAll(ids);
  }

  // ---- uncached

  @Override
  public Future<Map<String, TrackMedia>> media(Collection<String> trackIds) {
    return repository.media(trackIds);
  }

  @Override
  public Future<Page<Album>> albumsOfArtist(String artistId, int offset, int limit) {
    return repository.albumsOfArtist(artistId, offset, limit);
  }

  @Override
  public Future<Page<Track>> tracksOfAlbum(String albumId, int offset, int limit) {
    return repository.tracksOfAlbum(albumId, offset, limit);
  }

  @Override
  public Future<List<Track>> topTracks(String artistId, int limit) {
    return repository.topTracks(artistId, limit);
  }

  @Override
  public Future<Slice<Album>> newReleases(LocalDate asOf, int offset, int limit) {
    return repository.newReleases(asOf, offset, limit);
  }

  @Override
  public Future<Slice<Album>> albumsByGenre(String genre, int offset, int limit) {
    return repository.albumsByGenre(genre, offset, limit);
  }

  @Override
  public Future<List<String>> genres() {
    return repository.genres();
  }

  @Override
  public Future<ScanPage<Artist>> scanArtists(ScanRange range, int limit) {
    return repository.scanArtists(range, limit);
  }

  @Override
  public Future<ScanPage<Album>> scanAlbums(ScanRange range, int limit) {
    return repository.scanAlbums(range, limit);
  }

  @Override
  public Future<ScanPage<Track>> scanTracks(ScanRange range, int limit) {
    return repository.scanTracks(range, limit);
  }

  // ---- writes: through, then evicted here at once

  @Override
  public Future<CatalogChange> putArtist(Artist artist) {
    return evictAfter(repository.putArtist(artist));
  }

  @Override
  public Future<CatalogChange> putAlbum(Album album) {
    return evictAfter(repository.putAlbum(album));
  }

  @Override
  public Future<CatalogChange> putTrack(Track track) {
    return evictAfter(repository.putTrack(track));
  }

  @Override
  public Future<CatalogChange> deleteArtist(String id) {
    return evictAfter(repository.deleteArtist(id));
  }

  @Override
  public Future<CatalogChange> deleteAlbum(String id) {
    return evictAfter(repository.deleteAlbum(id));
  }

  @Override
  public Future<CatalogChange> deleteTrack(String id) {
    return evictAfter(repository.deleteTrack(id));
  }

  private Future<CatalogChange> evictAfter(Future<CatalogChange> write) {
    return write.compose(change -> evict(change).map(change));
  }
}
