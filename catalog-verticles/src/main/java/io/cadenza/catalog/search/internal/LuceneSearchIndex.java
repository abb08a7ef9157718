package io.cadenza.catalog.search.internal;

import io.cadenza.catalog.search.IndexedAlbum;
import io.cadenza.catalog.search.IndexedArtist;
import io.cadenza.catalog.search.IndexedTrack;
import io.cadenza.catalog.search.ItemType;
import io.cadenza.catalog.search.SearchHit;
import io.cadenza.catalog.search.SearchIndex;
import io.cadenza.catalog.search.SearchPage;
import io.cadenza.catalog.search.SearchQuery;
import io.cadenza.catalog.search.SearchRequest;
import io.cadenza.catalog.search.SearchResult;
import io.cadenza.catalog.search.Suggestion;
import io.cadenza.config.error.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SearchIndex} on one Lucene {@link IndexWriter}: artists, albums and tracks are documents
 * of one index told apart by a {@code kind} field, so one near-real-time reader serves every type
 * from one consistent point in time. A {@link Refresher} reopens the {@link SearcherManager} at
 * most {@code maxStale} after a change; nothing is ever committed, because the index is rebuilt
 * from the catalog store at every start.
 */
public final class LuceneSearchIndex implements SearchIndex {

  private static final Logger LOG = LoggerFactory.getLogger(LuceneSearchIndex.class);

  private static final Set<String> STORED = Set.of(Fields.ID, Fields.KIND, Fields.NAME);

  private final Clock clock;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Refresher refresher;
  private final QueryBuilder queries = new QueryBuilder();

  /** The rebuild generation documents are written with; older ones go when a rebuild ends. */
  private final AtomicInteger epoch = new AtomicInteger();

  /**
   * Changes hold the read side; the first rebuild of an empty index holds the write side, so it can
   * add documents without replacing by key (much faster) and no concurrent change is duplicated.
   */
  private final ReadWriteLock bulk = new ReentrantReadWriteLock();

  private LuceneSearchIndex(Clock clock, Options options) throws IOException {
    this.clock = clock;
    this.directory =
        options.directory() == null
            ? new ByteBuffersDirectory()
            : FSDirectory.open(options.directory());
    IndexWriterConfig config =
        new IndexWriterConfig(Analyzers.indexing())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(options.ramBufferMb())
            .setCommitOnClose(false);
    this.writer = new IndexWriter(directory, config);
    this.searchers = new SearcherManager(writer, null);
    this.refresher = new Refresher(writer, searchers, options.maxStale(), options.minStale());
  }

  /** Opens an empty index; see {@link SearchIndex#create}. */
  public static LuceneSearchIndex open(Clock clock, Options options) {
    try {
      return new LuceneSearchIndex(clock, options);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not open the search index in " + options.directory(), e);
    }
  }

  // ---- writing

  @Override
  public RebuildStats rebuild(
      Stream<IndexedArtist> artists, Stream<IndexedAlbum> albums, Stream<IndexedTrack> tracks) {
    long started = System.nanoTime();
    int generation = epoch.incrementAndGet();
    Lock lock = bulk.writeLock();
    lock.lock();
    // maxDoc counts buffered documents too: empty means no change has been applied yet.
    boolean empty = writer.getDocStats().maxDoc == 0;
    if (!empty) {
      lock.unlock();
      lock = bulk.readLock();
      lock.lock();
    }
    refresher.bulkLoadStarted();
    try {
      long a =
          write(
              artists,
              ItemType.ARTIST,
              IndexedArtist::id,
              x -> Documents.artist(x, generation),
              empty);
      long b =
          write(
              albums, ItemType.ALBUM, IndexedAlbum::id, x -> Documents.album(x, generation), empty);
      long t =
          write(
              tracks, ItemType.TRACK, IndexedTrack::id, x -> Documents.track(x, generation), empty);
      writer.deleteDocuments(
          IntPoint.newRangeQuery(Fields.EPOCH, Integer.MIN_VALUE, generation - 1));
      refresher.refreshNow();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      LOG.info(
          "Search index rebuilt with {} artists, {} albums and {} tracks in {} ms.",
          a,
          b,
          t,
          took.toMillis());
      return new RebuildStats(a, b, t, took);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not rebuild the search index", e);
    } finally {
      refresher.bulkLoadEnded();
      lock.unlock();
    }
  }

  private <T> long write(
      Stream<T> items,
      ItemType type,
      Function<T, String> id,
      Function<T, Document> document,
      boolean empty)
      throws IOException {
    long count = 0;
    try (items) {
      Iterator<T> it = items.iterator();
      while (it.hasNext()) {
        T item = it.next();
        if (empty) {
          writer.addDocument(document.apply(item));
        } else {
          writer.updateDocument(Documents.key(type, id.apply(item)), document.apply(item));
        }
        count++;
      }
    }
    return count;
  }

  @Override
  public long upsert(IndexedArtist artist) {
    return update(
        Documents.key(ItemType.ARTIST, artist.id()), Documents.artist(artist, epoch.get()));
  }

  @Override
  public long upsert(IndexedAlbum album) {
    return update(Documents.key(ItemType.ALBUM, album.id()), Documents.album(album, epoch.get()));
  }

  @Override
  public long upsert(IndexedTrack track) {
    return update(Documents.key(ItemType.TRACK, track.id()), Documents.track(track, epoch.get()));
  }

  private long update(Term key, Document doc) {
    bulk.readLock().lock();
    try {
      return writer.updateDocument(key, doc);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not index " + key.text(), e);
    } finally {
      bulk.readLock().unlock();
    }
  }

  @Override
  public long delete(ItemType type, String id) {
    if (!type.indexed()) {
      throw new IllegalArgumentException("the index holds no " + type);
    }
    bulk.readLock().lock();
    try {
      return writer.deleteDocuments(Documents.key(type, id));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + type.key() + " " + id, e);
    } finally {
      bulk.readLock().unlock();
    }
  }

  @Override
  public boolean awaitVisible(long generation, Duration timeout) throws InterruptedException {
    return refresher.awaitVisible(generation, timeout);
  }

  // ---- reading

  @Override
  public SearchResult search(SearchRequest request) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    Map<ItemType, SearchPage> pages = new LinkedHashMap<>();
    IndexSearcher searcher = acquire();
    try {
      for (ItemType type : request.types()) {
        Optional<Query> query =
            type.indexed()
                ? queries.search(request.query(), type, today, searcher.getIndexReader())
                : Optional.empty();
        pages.put(
            type,
            query.isPresent()
                ? page(searcher, query.get(), request.limit(), request.offset())
                : SearchPage.empty(request.limit(), request.offset()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not search the index", e);
    } finally {
      release(searcher);
    }
    return new SearchResult(pages);
  }

  /**
   * The top {@code offset + limit} by score (ties by index order, so pages are stable), and the
   * total, exact up to {@link SearchIndex#MAX_EXACT_TOTAL} matches. Every match up to that many is
   * scored; past it, Lucene skips blocks of documents that cannot reach the page (block-max
   * scores), which bounds the cost of a broad query ("th") instead of scoring half the catalog.
   */
  private static SearchPage page(IndexSearcher searcher, Query query, int limit, int offset)
      throws IOException {
    int wanted = offset + limit;
    TopDocs top =
        searcher.search(query, new TopScoreDocCollectorManager(wanted, null, MAX_EXACT_TOTAL));
    int total = (int) Math.min(top.totalHits.value, MAX_EXACT_TOTAL);
    StoredFields stored = searcher.storedFields();
    List<SearchHit> items = new ArrayList<>(limit);
    for (int i = offset; i < top.scoreDocs.length; i++) {
      ScoreDoc hit = top.scoreDocs[i];
      items.add(new SearchHit(stored.document(hit.doc, STORED).get(Fields.ID), hit.score));
    }
    return new SearchPage(items, total, limit, offset);
  }

  @Override
  public List<Suggestion> autocomplete(String prefix, int limit) {
    if (prefix == null || prefix.isBlank()) {
      throw new ValidationException("No search query");
    }
    if (prefix.codePointCount(0, prefix.length()) > SearchQuery.MAX_LENGTH) {
      throw new ValidationException(
          "Search query is longer than " + SearchQuery.MAX_LENGTH + " characters");
    }
    if (limit < 1 || limit > MAX_SUGGESTIONS) {
      throw new ValidationException("Invalid limit");
    }
    IndexSearcher searcher = acquire();
    try {
      Optional<Query> query = queries.suggest(prefix, searcher.getIndexReader());
      if (query.isEmpty()) {
        return List.of();
      }
      // Room for names several items share ("Intro"): those are suggested once.
      TopDocs top = searcher.search(query.get(), new TopScoreDocCollectorManager(limit * 3, 1));
      StoredFields stored = searcher.storedFields();
      List<Suggestion> suggestions = new ArrayList<>(limit);
      Set<String> seen = new HashSet<>();
      for (ScoreDoc hit : top.scoreDocs) {
        Document doc = stored.document(hit.doc, STORED);
        String kind = doc.get(Fields.KIND);
        String name = doc.get(Fields.NAME);
        if (seen.add(kind + ':' + Text.fold(name)) && suggestions.size() < limit) {
          ItemType type = ItemType.parse(kind).orElseThrow();
          suggestions.add(new Suggestion(type, doc.get(Fields.ID), name, hit.score));
        }
      }
      return suggestions;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not search the index", e);
    } finally {
      release(searcher);
    }
  }

  @Override
  public Optional<String> indexedName(ItemType type, String id) {
    IndexSearcher searcher = acquire();
    try {
      TopDocs top = searcher.search(new TermQuery(Documents.key(type, id)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      return Optional.ofNullable(
          searcher.storedFields().document(top.scoreDocs[0].doc, STORED).get(Fields.NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the search index", e);
    } finally {
      release(searcher);
    }
  }

  @Override
  public int count(ItemType type) {
    IndexSearcher searcher = acquire();
    try {
      return searcher.count(new TermQuery(new Term(Fields.KIND, type.key())));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not count the index", e);
    } finally {
      release(searcher);
    }
  }

  private IndexSearcher acquire() {
    try {
      return searchers.acquire();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open a searcher", e);
    }
  }

  private void release(IndexSearcher searcher) {
    try {
      searchers.release(searcher);
    } catch (IOException e) {
      LOG.warn("Could not release a search index reader.", e);
    }
  }

  @Override
  public void close() {
    refresher.close();
    try {
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not close the search index", e);
    }
  }
}
