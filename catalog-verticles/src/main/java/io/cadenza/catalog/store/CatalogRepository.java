package io.cadenza.catalog.store;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.ChangeFeed;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.model.TrackMedia;
import io.cadenza.catalog.store.internal.CqlCatalogRepository;
import io.cadenza.config.cql.Cql;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog in ScyllaDB: artists, albums and tracks by id, the lists the API and the search index
 * read, and the writes, each announced on the {@value CatalogChange#TOPIC} feed.
 *
 * <p><b>Writes</b> go to the database first (the entity row and its lookup rows, all with one CQL
 * timestamp, the change's {@code version}), then to the feed; the returned future completes when
 * both have. Writing the same entity again gives the same rows (re-imports are idempotent) and a
 * new event. Writes of one entity are expected from one writer at a time: each reads the entity's
 * previous row to remove lookup rows it no longer has (e.g. a popularity that changed).
 *
 * <p><b>Delivery of changes is at least once.</b> A failed publish fails the write's future while
 * the rows stay written; writing again publishes again. A process that dies between the two leaves
 * rows with no event: the search index of every node rebuilds from these tables at start ({@link
 * #scanTracks} and friends), which heals any change it missed, and follows the feed from there. A
 * consumer must therefore accept repeats and read the entity's current row for each event.
 *
 * <p>Reads use {@code LOCAL_QUORUM}; lists are bounded (limit 1 to 50, offset at most {@value
 * #MAX_OFFSET}); breaking a bound fails with {@code ValidationException}.
 */
public interface CatalogRepository {

  /** Largest offset of the paged reads. */
  int MAX_OFFSET = 10_000;

  /** Most ids of one batch read. */
  int MAX_IDS = 100;

  /** Most rows of one scan step. */
  int MAX_SCAN = 5_000;

  /**
   * Prepares the statements (the catalog tables must exist: {@code V004__catalog.cql}).
   *
   * @param feed where writes are announced
   * @param clock the writes' timestamps
   */
  static Future<CatalogRepository> create(Cql cql, ChangeFeed feed, Clock clock) {
    return CqlCatalogRepository.create(cql, feed, clock);
  }

  // ---- by id

  Future<Optional<Artist>> artist(String id);

  Future<Optional<Album>> album(String id);

  Future<Optional<Track>> track(String id);

  /** The artists that exist of {@code ids}, in the order asked (unknown ids are left out). */
  Future<Map<String, Artist>> artists(Collection<String> ids);

  /** The albums that exist of {@code ids}, in the order asked. */
  Future<Map<String, Album>> albums(Collection<String> ids);

  /** The tracks that exist of {@code ids}, in the order asked. */
  Future<Map<String, Track>> tracks(Collection<String> ids);

  /**
   * What media-store recorded of these tracks' audio (its {@code media} table), for those that have
   * audio, in the order asked.
   */
  Future<Map<String, TrackMedia>> media(Collection<String> trackIds);

  // ---- lists

  /** An artist's albums, newest release first (undated ones last), then by id. */
  Future<Page<Album>> albumsOfArtist(String artistId, int offset, int limit);

  /** An album's tracks by disc number, then track number. */
  Future<Page<Track>> tracksOfAlbum(String albumId, int offset, int limit);

  /** An artist's most popular tracks, most popular first (ties by id); at most {@code limit}. */
  Future<List<Track>> topTracks(String artistId, int limit);

  /**
   * Albums released in the {@value #NEW_RELEASE_MONTHS} months up to and including {@code asOf}'s
   * month and not after {@code asOf}, newest first; albums dated to the year only are left out.
   */
  Future<Slice<Album>> newReleases(LocalDate asOf, int offset, int limit);

  /** How far back {@link #newReleases} looks. */
  int NEW_RELEASE_MONTHS = 24;

  /** The albums of a genre (any case), most popular first, then by id. */
  Future<Slice<Album>> albumsByGenre(String genre, int offset, int limit);

  /** Every genre name some album, artist or track was written with, by key. */
  Future<List<String>> genres();

  // ---- full scans, for index rebuilds

  Future<ScanPage<Artist>> scanArtists(ScanRange range, int limit);

  Future<ScanPage<Album>> scanAlbums(ScanRange range, int limit);

  Future<ScanPage<Track>> scanTracks(ScanRange range, int limit);

  // ---- writes

  /** Writes an artist (replacing the row of the same id) and publishes the change. */
  Future<CatalogChange> putArtist(Artist artist);

  /** Writes an album with its lookup rows and publishes the change. */
  Future<CatalogChange> putAlbum(Album album);

  /** Writes a track with its lookup rows and publishes the change. */
  Future<CatalogChange> putTrack(Track track);

  /**
   * Removes an artist; fails with {@code ConflictException} while albums are listed under it, and
   * with {@code NotFoundException} when there is no such artist.
   */
  Future<CatalogChange> deleteArtist(String id);

  /** Removes an album; {@code ConflictException} while it has tracks. */
  Future<CatalogChange> deleteAlbum(String id);

  /** Removes a track and its lookup rows. */
  Future<CatalogChange> deleteTrack(String id);
}
