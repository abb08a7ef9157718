package io.cadenza.catalog.search;

import io.cadenza.catalog.search.internal.LuceneSearchIndex;
import io.cadenza.config.error.ValidationException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A node's search index over the catalog (the read side of CQRS): rebuilt from the catalog store at
 * start with {@link #rebuild}, then kept current by applying the catalog change feed with {@code
 * upsert} and {@link #delete}. Changes become visible to searches within {@link Options#maxStale()}
 * (a quarter of a second by default), or as soon as {@link #awaitVisible} returns for the
 * generation a change returned.
 *
 * <p>All methods are thread-safe and blocking (Lucene does I/O and CPU work); call them from a
 * worker thread, never from an event loop. The index does not join: the feed hands over
 * denormalised records ({@link IndexedTrack} carries its album's and artists' names), and a rename
 * is applied by re-sending the records that carry the name.
 *
 * <p>How words, filters and scores work is described in the module README ("Search").
 */
public interface SearchIndex extends AutoCloseable {

  /**
   * Totals are exact up to this many matches of a type; a type with more reports this number (as
   * Elasticsearch's default {@code track_total_hits} does). Counting every match of a broad query
   * would cost as much as scoring it, and Spotify's offsets stop at 1,000 anyway, so no page past
   * the cap can be asked for.
   */
  int MAX_EXACT_TOTAL = 10_000;

  /** The most suggestions {@link #autocomplete} returns. */
  int MAX_SUGGESTIONS = 20;

  /**
   * Opens an empty index.
   *
   * @param clock the time {@code tag:new} is relative to
   * @param options where the index lives and how fresh it is kept
   */
  static SearchIndex create(Clock clock, Options options) {
    return LuceneSearchIndex.open(clock, options);
  }

  /**
   * Replaces the index's content with the given items, as read from the catalog store. Searches
   * keep working during a rebuild and never see an item twice; an item missing from the streams
   * disappears when the rebuild ends. Changes applied concurrently are kept, so the change feed can
   * be followed from a position taken before the store was read (upserts are idempotent, so the
   * replayed changes are harmless). Everything is visible when this returns.
   *
   * @return how many items of each kind were indexed
   */
  RebuildStats rebuild(
      Stream<IndexedArtist> artists, Stream<IndexedAlbum> albums, Stream<IndexedTrack> tracks);

  /** Adds or replaces an artist. Returns the change's generation for {@link #awaitVisible}. */
  long upsert(IndexedArtist artist);

  /** Adds or replaces an album. Returns the change's generation for {@link #awaitVisible}. */
  long upsert(IndexedAlbum album);

  /** Adds or replaces a track. Returns the change's generation for {@link #awaitVisible}. */
  long upsert(IndexedTrack track);

  /**
   * Removes an item if present. Returns the change's generation for {@link #awaitVisible}.
   *
   * @throws IllegalArgumentException if the type is not one the index holds
   */
  long delete(ItemType type, String id);

  /**
   * Waits until searches see every change up to {@code generation}.
   *
   * @return false if the timeout passed first
   */
  boolean awaitVisible(long generation, Duration timeout) throws InterruptedException;

  /**
   * Searches each requested type. Types the index does not hold, and types a filter of the query
   * cannot apply to (e.g. {@code isrc:} for artists), answer an empty page.
   */
  SearchResult search(SearchRequest request);

  /**
   * Type-ahead: artists, albums and tracks whose name matches what was typed so far (the last word
   * as a prefix, longer words with a typo), best first, blending match and popularity. Suggestions
   * with the same type and name are shown once.
   *
   * @param prefix what the user typed, at most {@value SearchQuery#MAX_LENGTH} characters
   * @param limit 1 to {@value #MAX_SUGGESTIONS}
   * @throws ValidationException if the prefix is blank or too long or the limit out of range
   */
  List<Suggestion> autocomplete(String prefix, int limit);

  /** The name an item is indexed under, as searches see it now, if it is indexed. */
  java.util.Optional<String> indexedName(ItemType type, String id);

  /** How many items of a type the index holds as searches see it now. */
  int count(ItemType type);

  /** Stops refreshing and releases the index's memory or files. */
  @Override
  void close();

  /** What a {@link #rebuild} indexed. */
  record RebuildStats(long artists, long albums, long tracks, Duration took) {}

  /**
   * How the index is kept.
   *
   * @param directory a folder for the index files, memory-mapped (what a node with a large catalog
   *     uses: the index lives in the page cache, off the Java heap; the folder is wiped at open
   *     because the index is rebuilt at every start), or null to keep the index on the heap (tests
   *     and small catalogs)
   * @param ramBufferMb how much the writer buffers before writing a segment; large buffers make
   *     bulk rebuilds fast
   * @param maxStale the longest a change waits before searches see it
   * @param minStale how soon a refresh follows when a caller waits in {@link #awaitVisible}
   */
  record Options(Path directory, int ramBufferMb, Duration maxStale, Duration minStale) {

    public Options {
      if (ramBufferMb < 16) {
        throw new IllegalArgumentException("ramBufferMb must be at least 16: " + ramBufferMb);
      }
      Objects.requireNonNull(maxStale, "maxStale");
      Objects.requireNonNull(minStale, "minStale");
      if (minStale.isNegative() || maxStale.compareTo(minStale) < 0) {
        throw new IllegalArgumentException("need 0 <= minStale <= maxStale");
      }
    }

    /** In memory, 64 MB buffer, changes visible within 250 ms (10 ms when awaited). */
    public static Options inMemory() {
      return new Options(null, 64, Duration.ofMillis(250), Duration.ofMillis(10));
    }

    /** In a memory-mapped folder, 256 MB buffer, changes visible within 250 ms. */
    public static Options inFolder(Path directory) {
      return new Options(
          Objects.requireNonNull(directory, "directory"),
          256,
          Duration.ofMillis(250),
          Duration.ofMillis(10));
    }
  }
}
