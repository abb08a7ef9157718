package io.cadenza.catalog.store.internal;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.ChangeFeed;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.EntityType;
import io.cadenza.catalog.model.Genres;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.model.TrackMedia;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.catalog.store.Page;
import io.cadenza.catalog.store.ScanPage;
import io.cadenza.catalog.store.ScanRange;
import io.cadenza.catalog.store.Slice;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.error.ConflictException;
import io.cadenza.config.error.NotFoundException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** {@link CatalogRepository} on the tables of {@code V004__catalog.cql}. */
public final class CqlCatalogRepository implements CatalogRepository {

  private static final ConsistencyLevel CL = ConsistencyLevel.LOCAL_QUORUM;
  private static final String ALL_GENRES = "all";

  private final Cql cql;
  private final ChangeFeed feed;
  private final Clock clock;
  private final AtomicLong lastVersion = new AtomicLong();

  /**
   * Genre keys this instance has written to the {@code genres} table: rows there are only ever
   * added, so a genre is written once per process (forgotten again when its write fails).
   */
  private final Set<String> genresWritten = ConcurrentHashMap.newKeySet();

  private final Map<String, PreparedStatement> ps;

  private CqlCatalogRepository(
      Cql cql, ChangeFeed feed, Clock clock, Map<String, PreparedStatement> statements) {
    this.cql = cql;
    this.feed = feed;
    this.clock = clock;
    this.ps = statements;
  }

  /** The statements by name; {@code %s} stands for the keyspace. */
  static Map<String, String> statements() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("artist", "SELECT " + Rows.ARTIST_COLUMNS + " FROM %s.artists WHERE id = ?");
    s.put("album", "SELECT " + Rows.ALBUM_COLUMNS + " FROM %s.albums WHERE id = ?");
    s.put("track", "SELECT " + Rows.TRACK_COLUMNS + " FROM %s.tracks WHERE id = ?");
    s.put(
        "media",
        "SELECT track_id, duration_ms, loudness_lufs, gain_db, renditions FROM %s.media"
            + " WHERE track_id = ?");
    s.put(
        "albumsOfArtist",
        "SELECT " + Rows.ALBUM_COLUMNS + " FROM %s.albums_by_artist WHERE artist_id = ? LIMIT ?");
    s.put("countAlbumsOfArtist", "SELECT COUNT(*) FROM %s.albums_by_artist WHERE artist_id = ?");
    s.put(
        "tracksOfAlbum",
        "SELECT " + Rows.TRACK_COLUMNS + " FROM %s.tracks_by_album WHERE album_id = ? LIMIT ?");
    s.put("countTracksOfAlbum", "SELECT COUNT(*) FROM %s.tracks_by_album WHERE album_id = ?");
    s.put("topTracks", "SELECT id FROM %s.tracks_by_artist_popularity WHERE artist_id = ? LIMIT ?");
    s.put(
        "releasesOfMonth",
        "SELECT id FROM %s.albums_by_release_month WHERE release_month = ? AND release_sort <= ?"
            + " LIMIT ?");
    s.put("albumsByGenre", "SELECT id FROM %s.albums_by_genre WHERE genre = ? LIMIT ?");
    s.put("genres", "SELECT name FROM %s.genres WHERE scope = ?");
    for (String[] table :
        new String[][] {
          {"Artists", "artists", Rows.ARTIST_COLUMNS},
          {"Albums", "albums", Rows.ALBUM_COLUMNS},
          {"Tracks", "tracks", Rows.TRACK_COLUMNS}
        }) {
      s.put(
          "scan" + table[0],
          "SELECT token(id), "
              + table[2]
              + " FROM %s."
              + table[1]
              + " WHERE token(id) > ? AND token(id) <= ? LIMIT ?");
    }
    s.put(
        "putArtist", "INSERT INTO %s.artists (" + Rows.ARTIST_COLUMNS + ") VALUES (?, ?, ?, ?, ?)");
    s.put("deleteArtist", "DELETE FROM %s.artists WHERE id = ?");
    s.put(
        "putAlbum",
        "INSERT INTO %s.albums (" + Rows.ALBUM_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.put("deleteAlbum", "DELETE FROM %s.albums WHERE id = ?");
    s.put(
        "putAlbumByArtist",
        "INSERT INTO %s.albums_by_artist (artist_id, release_sort, "
            + Rows.ALBUM_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.put(
        "deleteAlbumByArtist",
        "DELETE FROM %s.albums_by_artist WHERE artist_id = ? AND release_sort = ? AND id = ?");
    s.put(
        "putAlbumByMonth",
        "INSERT INTO %s.albums_by_release_month (release_month, release_sort, id)"
            + " VALUES (?, ?, ?)");
    s.put(
        "deleteAlbumByMonth",
        "DELETE FROM %s.albums_by_release_month WHERE release_month = ? AND release_sort = ?"
            + " AND id = ?");
    s.put(
        "putAlbumByGenre",
        "INSERT INTO %s.albums_by_genre (genre, popularity, id) VALUES (?, ?, ?)");
    s.put(
        "deleteAlbumByGenre",
        "DELETE FROM %s.albums_by_genre WHERE genre = ? AND popularity = ? AND id = ?");
    s.put(
        "putTrack",
        "INSERT INTO %s.tracks ("
            + Rows.TRACK_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.put("deleteTrack", "DELETE FROM %s.tracks WHERE id = ?");
    s.put(
        "putTrackByAlbum",
        "INSERT INTO %s.tracks_by_album ("
            + Rows.TRACK_COLUMNS
            + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.put(
        "deleteTrackByAlbum",
        "DELETE FROM %s.tracks_by_album WHERE album_id = ? AND disc_number = ?"
            + " AND track_number = ? AND id = ?");
    s.put(
        "putTrackByArtist",
        "INSERT INTO %s.tracks_by_artist_popularity (artist_id, popularity, id) VALUES (?, ?, ?)");
    s.put(
        "deleteTrackByArtist",
        "DELETE FROM %s.tracks_by_artist_popularity WHERE artist_id = ? AND popularity = ?"
            + " AND id = ?");
    s.put("putGenre", "INSERT INTO %s.genres (scope, genre, name) VALUES (?, ?, ?)");
    return s;
  }

  /** Prepares every statement. */
  public static Future<CatalogRepository> create(Cql cql, ChangeFeed feed, Clock clock) {
    Map<String, Future<PreparedStatement>> prepared = new LinkedHashMap<>();
    statements().forEach((name, text) -> prepared.put(name, cql.prepare(text)));
    return Future.all(new ArrayList<>(prepared.values()))
        .map(
            all -> {
              Map<String, PreparedStatement> done = new LinkedHashMap<>();
              prepared.forEach((name, future) -> done.put(name, future.result()));
              return new CqlCatalogRepository(cql, feed, clock, Map.copyOf(done));
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Reads by id

  @Override
  public Future<Optional<Artist>> artist(String id) {
    return byId("artist", id, Rows::artist);
  }

  @Override
  public Future<Optional<Album>> album(String id) {
    return byId("album", id, Rows::album);
  }

  @Override
  public Future<Optional<Track>> track(String id) {
    return byId("track", id, Rows::track);
  }

  @Override
  public Future<Map<String, Artist>> artists(Collection<String> ids) {
    return byIds("artist", ids, Rows::artist);
  }

  @Override
  public Future<Map<String, Album>> albums(Collection<String> ids) {
    return byIds("album", ids, Rows::album);
  }

  @Override
  public Future<Map<String, Track>> tracks(Collection<String> ids) {
    return byIds("track", ids, Rows::track);
  }

  @Override
  public Future<Map<String, TrackMedia>> media(Collection<String> trackIds) {
    return byIds("media", trackIds, Rows::media);
  }

  private <T> Future<Optional<T>> byId(String statement, String id, Function<Row, T> mapper) {
    if (!Base62Id.isValid(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return cql.one(bind(statement, id)).map(row -> Optional.ofNullable(row).map(mapper));
  }

  private <T> Future<Map<String, T>> byIds(
      String statement, Collection<String> ids, Function<Row, T> mapper) {
    Set<String> wanted = new LinkedHashSet<>(ids);
    if (wanted.size() > MAX_IDS) {
      return Future.failedFuture(
          new ValidationException("at most " + MAX_IDS + " ids can be read at once"));
    }
    List<String> order = new ArrayList<>(wanted);
    List<Future<Optional<T>>> reads = new ArrayList<>(order.size());
    for (String id : order) {
      reads.add(byId(statement, id, mapper));
    }
    return Future.all(reads)
        .map(
            all -> {
              Map<String, T> found = new LinkedHashMap<>();
              for (int i = 0; i < order.size(); i++) {
                Optional<T> value = reads.get(i).result();
                if (value.isPresent()) {
                  found.put(order.get(i), value.get());
                }
              }
              return found;
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Lists

  @Override
  public Future<Page<Album>> albumsOfArtist(String artistId, int offset, int limit) {
    return page("albumsOfArtist", "countAlbumsOfArtist", artistId, offset, limit, Rows::album);
  }

  @Override
  public Future<Page<Track>> tracksOfAlbum(String albumId, int offset, int limit) {
    return page("tracksOfAlbum", "countTracksOfAlbum", albumId, offset, limit, Rows::track);
  }

  private <T> Future<Page<T>> page(
      String list, String count, String key, int offset, int limit, Function<Row, T> mapper) {
    try {
      checkPage(offset, limit);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    if (!Base62Id.isValid(key)) {
      return Future.succeededFuture(new Page<>(List.of(), offset, limit, 0));
    }
    Future<List<Row>> rows = rows(bind(list, key, offset + limit));
    Future<Row> total = cql.one(bind(count, key));
    return Future.all(rows, total)
        .map(
            all -> {
              List<Row> read = rows.result();
              List<T> items = new ArrayList<>(limit);
              for (int i = offset; i < read.size(); i++) {
                items.add(mapper.apply(read.get(i)));
              }
              return new Page<>(items, offset, limit, (int) total.result().getLong(0));
            });
  }

  @Override
  public Future<List<Track>> topTracks(String artistId, int limit) {
    try {
      checkPage(0, limit);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    if (!Base62Id.isValid(artistId)) {
      return Future.succeededFuture(List.of());
    }
    return rows(bind("topTracks", artistId, limit))
        .compose(rows -> tracks(ids(rows)))
        .map(found -> List.copyOf(found.values()));
  }

  @Override
  public Future<Slice<Album>> newReleases(LocalDate asOf, int offset, int limit) {
    try {
      checkPage(offset, limit);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    List<String> ids = new ArrayList<>();
    return releasesFrom(YearMonth.from(asOf), asOf.toString(), 0, offset + limit + 1, ids)
        .compose(done -> slice(ids, offset, limit));
  }

  /** Collects album ids month after month backwards until {@code want} or the window's end. */
  private Future<Void> releasesFrom(
      YearMonth month, String notAfter, int monthsRead, int want, List<String> ids) {
    if (ids.size() >= want || monthsRead >= NEW_RELEASE_MONTHS) {
      return Future.succeededFuture();
    }
    return rows(bind("releasesOfMonth", month.toString(), notAfter, want - ids.size()))
        .compose(
            rows -> {
              ids.addAll(ids(rows));
              return releasesFrom(month.minusMonths(1), notAfter, monthsRead + 1, want, ids);
            });
  }

  @Override
  public Future<Slice<Album>> albumsByGenre(String genre, int offset, int limit) {
    try {
      checkPage(offset, limit);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    if (genre == null || genre.isBlank()) {
      return Future.failedFuture(new ValidationException("genre must not be empty"));
    }
    return rows(bind("albumsByGenre", Genres.key(genre), offset + limit + 1))
        .compose(rows -> slice(ids(rows), offset, limit));
  }

  private Future<Slice<Album>> slice(List<String> ids, int offset, int limit) {
    boolean more = ids.size() > offset + limit;
    List<String> wanted =
        ids.subList(Math.min(offset, ids.size()), Math.min(ids.size(), offset + limit));
    return albums(wanted)
        .map(found -> new Slice<>(List.copyOf(found.values()), offset, limit, more));
  }

  @Override
  public Future<List<String>> genres() {
    return rows(bind("genres", ALL_GENRES))
        .map(rows -> rows.stream().map(row -> row.getString("name")).toList());
  }

  // ---------------------------------------------------------------------------------------------
  // Scans

  @Override
  public Future<ScanPage<Artist>> scanArtists(ScanRange range, int limit) {
    return scan("scanArtists", range, limit, Rows::artist);
  }

  @Override
  public Future<ScanPage<Album>> scanAlbums(ScanRange range, int limit) {
    return scan("scanAlbums", range, limit, Rows::album);
  }

  @Override
  public Future<ScanPage<Track>> scanTracks(ScanRange range, int limit) {
    return scan("scanTracks", range, limit, Rows::track);
  }

  private <T> Future<ScanPage<T>> scan(
      String statement, ScanRange range, int limit, Function<Row, T> mapper) {
    if (limit < 1 || limit > MAX_SCAN) {
      return Future.failedFuture(
          new ValidationException("a scan step reads 1 to " + MAX_SCAN + " rows"));
    }
    return rows(bind(statement, range.fromExclusive(), range.toInclusive(), limit))
        .map(
            rows -> {
              List<T> items = new ArrayList<>(rows.size());
              for (Row row : rows) {
                items.add(mapper.apply(row));
              }
              Optional<ScanRange> next = Optional.empty();
              if (rows.size() == limit) {
                long last = rows.get(rows.size() - 1).getLong(0);
                if (last < range.toInclusive()) {
                  next = Optional.of(new ScanRange(last, range.toInclusive()));
                }
              }
              return new ScanPage<>(items, next);
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  @Override
  public Future<CatalogChange> putArtist(Artist artist) {
    long version = nextVersion();
    List<BoundStatement> writes = new ArrayList<>();
    writes.add(
        bind(
            "putArtist",
            artist.id(),
            artist.name(),
            artist.genres(),
            artist.popularity(),
            Rows.imagesJson(artist.images())));
    List<String> genres = addGenres(writes, artist.genres());
    return write(writes, genres, version, EntityType.ARTIST, artist.id(), CatalogChange.Op.UPSERT);
  }

  @Override
  public Future<CatalogChange> putAlbum(Album album) {
    long version = nextVersion();
    return album(album.id())
        .compose(
            previous -> {
              List<BoundStatement> writes = new ArrayList<>();
              writes.add(bindAlbum("putAlbum", List.of(), album));
              Set<List<Object>> byArtist = albumByArtistKeys(album);
              for (List<Object> key : byArtist) {
                writes.add(bindAlbum("putAlbumByArtist", key, album));
              }
              Optional<List<Object>> byMonth = albumByMonthKey(album);
              byMonth.ifPresent(key -> writes.add(bind("putAlbumByMonth", key.toArray())));
              Set<List<Object>> byGenre = albumByGenreKeys(album);
              for (List<Object> key : byGenre) {
                writes.add(bind("putAlbumByGenre", key.toArray()));
              }
              List<String> genres = addGenres(writes, album.genres());
              previous.ifPresent(
                  old -> {
                    removeStale(writes, "deleteAlbumByArtist", albumByArtistKeys(old), byArtist);
                    removeStale(
                        writes,
                        "deleteAlbumByMonth",
                        albumByMonthKey(old).map(Set::of).orElse(Set.of()),
                        byMonth.map(Set::of).orElse(Set.of()));
                    removeStale(writes, "deleteAlbumByGenre", albumByGenreKeys(old), byGenre);
                  });
              return write(
                  writes, genres, version, EntityType.ALBUM, album.id(), CatalogChange.Op.UPSERT);
            });
  }

  @Override
  public Future<CatalogChange> putTrack(Track track) {
    long version = nextVersion();
    return track(track.id())
        .compose(
            previous -> {
              List<BoundStatement> writes = new ArrayList<>();
              writes.add(bindTrack("putTrack", track));
              writes.add(bindTrack("putTrackByAlbum", track));
              Set<List<Object>> byArtist = trackByArtistKeys(track);
              for (List<Object> key : byArtist) {
                writes.add(bind("putTrackByArtist", key.toArray()));
              }
              List<String> genres = addGenres(writes, track.genres());
              previous.ifPresent(
                  old -> {
                    removeStale(
                        writes,
                        "deleteTrackByAlbum",
                        Set.of(trackByAlbumKey(old)),
                        Set.of(trackByAlbumKey(track)));
                    removeStale(writes, "deleteTrackByArtist", trackByArtistKeys(old), byArtist);
                  });
              return write(
                  writes, genres, version, EntityType.TRACK, track.id(), CatalogChange.Op.UPSERT);
            });
  }

  @Override
  public Future<CatalogChange> deleteArtist(String id) {
    long version = nextVersion();
    return existing(artist(id), "artist", id)
        .compose(artist -> rows(bind("albumsOfArtist", id, 1)))
        .compose(
            albums -> {
              if (!albums.isEmpty()) {
                return Future.failedFuture(
                    new ConflictException("artist " + id + " still has albums; delete them first"));
              }
              return write(
                  List.of(bind("deleteArtist", id)),
                  version,
                  EntityType.ARTIST,
                  id,
                  CatalogChange.Op.DELETE);
            });
  }

  @Override
  public Future<CatalogChange> deleteAlbum(String id) {
    long version = nextVersion();
    return existing(album(id), "album", id)
        .compose(
            album ->
                rows(bind("tracksOfAlbum", id, 1))
                    .compose(
                        tracks -> {
                          if (!tracks.isEmpty()) {
                            return Future.failedFuture(
                                new ConflictException(
                                    "album " + id + " still has tracks; delete them first"));
                          }
                          List<BoundStatement> writes = new ArrayList<>();
                          writes.add(bind("deleteAlbum", id));
                          removeStale(
                              writes, "deleteAlbumByArtist", albumByArtistKeys(album), Set.of());
                          albumByMonthKey(album)
                              .ifPresent(
                                  key -> writes.add(bind("deleteAlbumByMonth", key.toArray())));
                          removeStale(
                              writes, "deleteAlbumByGenre", albumByGenreKeys(album), Set.of());
                          return write(
                              writes, version, EntityType.ALBUM, id, CatalogChange.Op.DELETE);
                        }));
  }

  @Override
  public Future<CatalogChange> deleteTrack(String id) {
    long version = nextVersion();
    return existing(track(id), "track", id)
        .compose(
            track -> {
              List<BoundStatement> writes = new ArrayList<>();
              writes.add(bind("deleteTrack", id));
              writes.add(bind("deleteTrackByAlbum", trackByAlbumKey(track).toArray()));
              removeStale(writes, "deleteTrackByArtist", trackByArtistKeys(track), Set.of());
              return write(writes, version, EntityType.TRACK, id, CatalogChange.Op.DELETE);
            });
  }

  private static <T> Future<T> existing(Future<Optional<T>> read, String type, String id) {
    return read.compose(
        found ->
            found
                .map(Future::succeededFuture)
                .orElseGet(
                    () -> Future.failedFuture(new NotFoundException("no " + type + " " + id))));
  }

  /** Runs the statements (in parallel, one timestamp), then publishes the change. */
  private Future<CatalogChange> write(
      List<BoundStatement> writes, long version, EntityType type, String id, CatalogChange.Op op) {
    return write(writes, List.of(), version, type, id, op);
  }

  private Future<CatalogChange> write(
      List<BoundStatement> writes,
      List<String> genresClaimed,
      long version,
      EntityType type,
      String id,
      CatalogChange.Op op) {
    List<Future<AsyncResultSet>> done = new ArrayList<>(writes.size());
    for (BoundStatement statement : writes) {
      done.add(cql.execute(statement.setQueryTimestamp(version)));
    }
    CatalogChange change = CatalogChange.of(type, id, op, version);
    return Future.all(done)
        .onFailure(failure -> genresClaimed.forEach(genresWritten::remove))
        .compose(written -> feed.publish(change))
        .map(published -> change);
  }

  /** Adds the genre rows this process has not written yet; returns their keys. */
  private List<String> addGenres(List<BoundStatement> writes, List<String> genres) {
    List<String> claimed = new ArrayList<>();
    for (String genre : genres) {
      String key = Genres.key(genre);
      if (genresWritten.add(key)) {
        claimed.add(key);
        writes.add(bind("putGenre", ALL_GENRES, key, genre));
      }
    }
    return claimed;
  }

  private void removeStale(
      List<BoundStatement> writes,
      String statement,
      Set<List<Object>> before,
      Set<List<Object>> now) {
    for (List<Object> key : before) {
      if (!now.contains(key)) {
        writes.add(bind(statement, key.toArray()));
      }
    }
  }

  // Lookup keys: the primary key of each lookup row an entity has.

  static String releaseSort(Album album) {
    return album.releaseDay().map(LocalDate::toString).orElse("");
  }

  private static Set<List<Object>> albumByArtistKeys(Album album) {
    Set<List<Object>> keys = new LinkedHashSet<>();
    for (String artistId : album.artistIds()) {
      keys.add(List.of(artistId, releaseSort(album), album.id()));
    }
    return keys;
  }

  private static Optional<List<Object>> albumByMonthKey(Album album) {
    if (album.releaseDate() == null || "year".equals(album.releaseDatePrecision())) {
      return Optional.empty();
    }
    return Optional.of(
        List.of(album.releaseDate().substring(0, 7), releaseSort(album), album.id()));
  }

  private static Set<List<Object>> albumByGenreKeys(Album album) {
    Set<List<Object>> keys = new LinkedHashSet<>();
    for (String genre : album.genres()) {
      keys.add(List.of(Genres.key(genre), album.popularity(), album.id()));
    }
    return keys;
  }

  private static List<Object> trackByAlbumKey(Track track) {
    return List.of(track.albumId(), track.discNumber(), track.trackNumber(), track.id());
  }

  private static Set<List<Object>> trackByArtistKeys(Track track) {
    Set<List<Object>> keys = new LinkedHashSet<>();
    for (String artistId : track.artistIds()) {
      keys.add(List.of(artistId, track.popularity(), track.id()));
    }
    return keys;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /**
   * The next write timestamp in microseconds: the clock's, or one more than the last one given when
   * the clock has not moved on, so versions of this process strictly increase.
   */
  long nextVersion() {
    Instant now = clock.instant();
    long micros =
        Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1000L);
    return lastVersion.updateAndGet(last -> Math.max(micros, last + 1));
  }

  private BoundStatement bind(String statement, Object... values) {
    return Objects.requireNonNull(ps.get(statement), statement)
        .bind(values)
        .setConsistencyLevel(CL);
  }

  private BoundStatement bindAlbum(String statement, List<Object> keyPrefix, Album album) {
    List<Object> values = new ArrayList<>(keyPrefix.subList(0, Math.min(2, keyPrefix.size())));
    values.add(album.id());
    values.add(album.name());
    values.add(album.albumType());
    values.add(album.artistIds());
    values.add(album.releaseDate());
    values.add(album.releaseDatePrecision());
    values.add(album.totalTracks());
    values.add(album.genres());
    values.add(album.popularity());
    values.add(Rows.imagesJson(album.images()));
    return bind(statement, values.toArray());
  }

  private BoundStatement bindTrack(String statement, Track track) {
    return bind(
        statement,
        track.id(),
        track.name(),
        track.albumId(),
        track.artistIds(),
        track.discNumber(),
        track.trackNumber(),
        track.durationMs(),
        track.explicit(),
        track.isrc(),
        track.genres(),
        track.popularity());
  }

  private static List<String> ids(List<Row> rows) {
    return rows.stream().map(row -> row.getString("id")).toList();
  }

  /** Every row of a statement, following the driver's pages. */
  private Future<List<Row>> rows(BoundStatement statement) {
    List<Row> rows = new ArrayList<>();
    return cql.execute(statement).compose(first -> collect(first, rows)).map(done -> rows);
  }

  private Future<Void> collect(AsyncResultSet page, List<Row> rows) {
    for (Row row : page.currentPage()) {
      rows.add(row);
    }
    if (!page.hasMorePages()) {
      return Future.succeededFuture();
    }
    return Cql.of(page.fetchNextPage()).compose(next -> collect(next, rows));
  }

  private static void checkPage(int offset, int limit) {
    if (limit < 1 || limit > 50) {
      throw new ValidationException("limit must be 1 to 50, not " + limit);
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new ValidationException("offset must be 0 to " + MAX_OFFSET + ", not " + offset);
    }
  }
}
