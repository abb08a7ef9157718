package io.cadenza.catalog.search.internal;

import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The analyzers of the index. Words: Unicode word boundaries (UAX#29), lower case, ASCII folding
 * ({@code é} → {@code e}, {@code ö} → {@code o}), apostrophes dropped ({@code don't} → {@code
 * dont}). Prefix fields add edge n-grams of each word at index time only, so type-ahead is one term
 * lookup instead of a prefix scan of the term dictionary.
 */
final class Analyzers {

  /**
   * Longest word prefix indexed as an n-gram; longer typed prefixes fall back to a prefix query.
   */
  static final int MAX_WORD_GRAM = 20;

  /** Longest whole-name prefix (compacted) indexed as an n-gram. */
  static final int MAX_START_GRAM = 40;

  private static final Pattern APOSTROPHES = Pattern.compile("'");

  private Analyzers() {}

  /** Words for indexing and querying the text fields. */
  static Analyzer words() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, wordFilters(source));
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
      }

      @Override
      public int getPositionIncrementGap(String fieldName) {
        // Keeps phrases from matching across two artists' names of one track.
        return 100;
      }
    };
  }

  /** The analyzer the index writer uses: words, plus n-grams on the prefix fields. */
  static Analyzer indexing() {
    Analyzer wordPrefixes =
        new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String fieldName) {
            StandardTokenizer source = new StandardTokenizer();
            return new TokenStreamComponents(
                source, new EdgeNGramTokenFilter(wordFilters(source), 1, MAX_WORD_GRAM, true));
          }
        };
    Analyzer namePrefixes =
        new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String fieldName) {
            // The value is already compacted (Text.compact) before it reaches the writer.
            KeywordTokenizer source = new KeywordTokenizer();
            return new TokenStreamComponents(
                source, new EdgeNGramTokenFilter(source, 1, MAX_START_GRAM, true));
          }
        };
    return new PerFieldAnalyzerWrapper(
        words(),
        Map.of(
            Fields.NAME_PREFIX, wordPrefixes,
            Fields.ARTIST_PREFIX, wordPrefixes,
            Fields.ALBUM_PREFIX, wordPrefixes,
            Fields.NAME_START, namePrefixes));
  }

  private static TokenStream wordFilters(TokenStream source) {
    TokenStream stream = new LowerCaseFilter(source);
    stream = new ASCIIFoldingFilter(stream);
    return new PatternReplaceFilter(stream, APOSTROPHES, "", true);
  }
}
