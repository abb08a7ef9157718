package io.cadenza.catalog.search.internal;

import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;

/** Field names and field types of the index's documents (one document per artist, album, track). */
final class Fields {

  /** {@code kind:id}, the key upserts and deletes replace by. */
  static final String KEY = "key";

  /** {@code artist}, {@code album} or {@code track}. */
  static final String KIND = "kind";

  static final String ID = "id";

  /** The name's words (track title, album title, artist name). */
  static final String NAME = "name";

  /** Edge n-grams of each word of the name, for the word being typed. */
  static final String NAME_PREFIX = "name.prefix";

  /** Edge n-grams of the whole compacted name ({@code ironmaiden}), for "starts with". */
  static final String NAME_START = "name.start";

  /** The whole compacted name, for "is exactly". */
  static final String NAME_EXACT = "name.exact";

  static final String ARTIST = "artist";
  static final String ARTIST_PREFIX = "artist.prefix";
  static final String ARTIST_EXACT = "artist.exact";
  static final String ALBUM = "album";
  static final String ALBUM_PREFIX = "album.prefix";
  static final String ALBUM_EXACT = "album.exact";

  /** Genres as keywords ({@link Text#keyword}). */
  static final String GENRE = "genre";

  static final String ISRC = "isrc";
  static final String UPC = "upc";

  /** Release year, an {@code IntPoint}. */
  static final String YEAR = "year";

  /** First day of the release as days since 1970-01-01, an {@code IntPoint}. */
  static final String RELEASED = "released";

  /** The rebuild generation that wrote the document, an {@code IntPoint}. */
  static final String EPOCH = "epoch";

  /** The {@code FeatureField} field holding {@link #POPULARITY}. */
  static final String FEATURES = "features";

  static final String POPULARITY = "popularity";

  /**
   * Words with positions (for phrases) but no norms or frequencies in scoring: every text clause is
   * constant-scored (see {@link QueryBuilder}), so length norms would only cost memory.
   */
  static final FieldType WORDS = new FieldType();

  /** Terms that only need to be found: n-grams and whole compacted names. */
  static final FieldType TERMS = new FieldType();

  static {
    WORDS.setTokenized(true);
    WORDS.setOmitNorms(true);
    WORDS.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
    WORDS.freeze();
    TERMS.setTokenized(true);
    TERMS.setOmitNorms(true);
    TERMS.setIndexOptions(IndexOptions.DOCS);
    TERMS.freeze();
  }

  private Fields() {}
}
