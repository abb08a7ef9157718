package io.cadenza.catalog.search.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;

/**
 * The spellings of one query word within {@code maxEdits} edits (Damerau-Levenshtein: insert,
 * delete, substitute, swap two neighbours), with the first character fixed, as compiled automata:
 * one per edit distance, so a term found in the index can be told how far it is from the word.
 *
 * <p>Building the automata of an eight-letter word for two edits takes milliseconds, more than the
 * search itself; Lucene's {@code FuzzyQuery} builds them anew for every field of every query. Here
 * they are built once per word and kept in a small cache shared by all searches, since the words
 * people type repeat.
 */
final class Typos {

  /** The first character must be right: cheaper automata, and first letters are rarely wrong. */
  static final int PREFIX_LENGTH = 1;

  private static final Cache<Key, Typos> CACHE = Caffeine.newBuilder().maximumSize(4096).build();

  private record Key(String word, int maxEdits) {}

  private final String word;
  private final int wordLength;
  private final CompiledAutomaton[] byEdits;

  private Typos(String word, int maxEdits) {
    this.word = word;
    this.wordLength = word.codePointCount(0, word.length());
    int prefixEnd = word.offsetByCodePoints(0, Math.min(PREFIX_LENGTH, wordLength));
    String prefix = word.substring(0, prefixEnd);
    LevenshteinAutomata builder = new LevenshteinAutomata(word.substring(prefixEnd), true);
    byEdits = new CompiledAutomaton[maxEdits + 1];
    for (int edits = 0; edits <= maxEdits; edits++) {
      byEdits[edits] = new CompiledAutomaton(builder.toAutomaton(edits, prefix), true, false);
    }
  }

  /** The automata of a word, from the cache or built now. */
  static Typos of(String word, int maxEdits) {
    if (maxEdits < 1 || maxEdits > LevenshteinAutomata.MAXIMUM_SUPPORTED_DISTANCE) {
      throw new IllegalArgumentException("maxEdits must be 1 or 2: " + maxEdits);
    }
    return CACHE.get(new Key(word, maxEdits), k -> new Typos(k.word(), k.maxEdits()));
  }

  String word() {
    return word;
  }

  int maxEdits() {
    return byEdits.length - 1;
  }

  /** Accepts every spelling within {@link #maxEdits()}. */
  CompiledAutomaton all() {
    return byEdits[byEdits.length - 1];
  }

  /**
   * How alike an accepted term is to the word, as Lucene's fuzzy query scores it: {@code 1 - edits
   * / length of the shorter of the two}.
   */
  float similarity(BytesRef term) {
    int edits = maxEdits();
    for (int e = 0; e < edits; e++) {
      if (byEdits[e].runAutomaton.run(term.bytes, term.offset, term.length)) {
        edits = e;
        break;
      }
    }
    int termLength = UnicodeUtil.codePointCount(term);
    return 1f - (float) edits / Math.min(termLength, wordLength);
  }
}
