package io.cadenza.catalog.search.internal;

import io.cadenza.catalog.search.ItemType;
import io.cadenza.catalog.search.SearchQuery;
import io.cadenza.catalog.search.SearchQuery.Filter;
import io.cadenza.catalog.search.SearchQuery.Match;
import io.cadenza.catalog.search.SearchQuery.Tag;
import io.cadenza.catalog.search.SearchQuery.TextPart;
import io.cadenza.catalog.search.SearchQuery.YearRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Turns a {@link SearchQuery} into one Lucene query per item type.
 *
 * <p>Scoring is explicit rather than BM25: names are short, so term statistics say little and make
 * ranks hard to predict. Every text clause is constant-scored, and an item's score is
 *
 * <pre>
 *   score = Σ over query words of  max over fields f, match kinds k of  weight(f) · weight(k) · sim
 *         + 1.0 if the words occur as a phrase in the name
 *         + 1.5 if the name starts with the query (letters and digits only: "iron ma" ~ "Iron Maiden")
 *         + 2.0 if the name is the query (same comparison), + 1.4 if an artist's name is
 *         + 0.25 · p / (p + 20)   where p = 1 + popularity (0..100): Lucene's FeatureField saturation
 * </pre>
 *
 * with field weights name 1.0, artist names 0.7, album name 0.5 and match kinds exact word 1.0,
 * prefix of the last word 0.7, typo 0.45 (sim = 1 − edits / word length for typos, else 1). The
 * popularity term is at most 0.21, below the gap between two match kinds (0.25 and more), so
 * popularity orders items that match equally well but never lifts a typo above an exact match.
 * Every word must match (in any of the type's fields) unless the whole name matches the query as
 * above; filters only select.
 */
final class QueryBuilder {

  static final float EXACT = 1.0f;
  static final float PREFIX = 0.7f;
  static final float TYPO = 0.45f;
  static final float PHRASE = 1.0f;
  static final float STARTS_WITH = 1.5f;
  static final float SAME_NAME = 2.0f;
  static final float ARTIST_WEIGHT = 0.7f;
  static final float ALBUM_WEIGHT = 0.5f;
  static final float POPULARITY_WEIGHT = 0.25f;
  static final float POPULARITY_PIVOT = 20f;

  /** Type-ahead weighs popularity more: the usual completion is the popular one. */
  static final float SUGGEST_POPULARITY_WEIGHT = 0.6f;

  private static final Query NOT_APPLICABLE =
      new MatchNoDocsQuery("a filter of the query does not apply to this type");

  /** A field free text is searched in, with its prefix and whole-name companions. */
  private record TextField(String words, String prefixes, String exact, float weight) {}

  private static final TextField NAME =
      new TextField(Fields.NAME, Fields.NAME_PREFIX, Fields.NAME_EXACT, 1f);
  private static final TextField ARTIST =
      new TextField(Fields.ARTIST, Fields.ARTIST_PREFIX, Fields.ARTIST_EXACT, ARTIST_WEIGHT);
  private static final TextField ALBUM =
      new TextField(Fields.ALBUM, Fields.ALBUM_PREFIX, Fields.ALBUM_EXACT, ALBUM_WEIGHT);

  private final Analyzer words = Analyzers.words();

  /**
   * The query for one indexed type, or empty when the query has nothing to search for (no word
   * survived analysis and there is no filter).
   */
  Optional<Query> search(SearchQuery query, ItemType type, LocalDate today, IndexReader reader) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new TermQuery(new Term(Fields.KIND, type.key())), Occur.FILTER);
    boolean constrained = false;
    Query text = text(query.text(), fields(type), type != ItemType.ARTIST, reader);
    if (text != null) {
      b.add(text, Occur.MUST);
      constrained = true;
    }
    for (Filter filter : query.filters()) {
      Query f = filter(filter, type, today);
      if (f != null) {
        b.add(f, Occur.FILTER);
        constrained = true;
      }
    }
    if (!constrained) {
      return Optional.empty();
    }
    b.add(popularity(POPULARITY_WEIGHT), Occur.SHOULD);
    return Optional.of(b.build());
  }

  /** The type-ahead query over the names of artists, albums and tracks, or empty. */
  Optional<Query> suggest(String typed, IndexReader reader) {
    String text = typed.replace('"', ' ').replace(':', ' ').strip();
    Query match = text(List.of(new TextPart(text, false)), List.of(NAME), false, reader);
    if (match == null) {
      return Optional.empty();
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(match, Occur.MUST);
    // Among equal matches, an artist before an album before a track, as type-ahead lists show.
    b.add(
        constant(new TermQuery(new Term(Fields.KIND, ItemType.ARTIST.key())), 0.2f), Occur.SHOULD);
    b.add(constant(new TermQuery(new Term(Fields.KIND, ItemType.ALBUM.key())), 0.1f), Occur.SHOULD);
    b.add(popularity(SUGGEST_POPULARITY_WEIGHT), Occur.SHOULD);
    return Optional.of(b.build());
  }

  private static List<TextField> fields(ItemType type) {
    return switch (type) {
      case ARTIST -> List.of(NAME);
      case ALBUM -> List.of(NAME, ARTIST);
      case TRACK -> List.of(NAME, ARTIST, ALBUM);
      default -> throw new IllegalArgumentException("not an indexed type: " + type);
    };
  }

  private static Query popularity(float weight) {
    return FeatureField.newSaturationQuery(
        Fields.FEATURES, Fields.POPULARITY, weight, POPULARITY_PIVOT);
  }

  // ---- free text

  private Query text(
      List<TextPart> parts, List<TextField> fields, boolean artistNameBonus, IndexReader reader) {
    List<List<String>> tokens = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (TextPart part : parts) {
      List<String> t = analyze(part.value());
      tokens.add(t);
      all.addAll(t);
    }
    if (all.isEmpty()) {
      return null;
    }
    int lastPart = tokens.size() - 1;
    while (tokens.get(lastPart).isEmpty()) {
      lastPart--;
    }
    BooleanQuery.Builder every = new BooleanQuery.Builder();
    for (int p = 0; p < parts.size(); p++) {
      List<String> t = tokens.get(p);
      if (parts.get(p).quoted()) {
        if (!t.isEmpty()) {
          every.add(quoted(t, fields), Occur.MUST);
        }
        continue;
      }
      for (int w = 0; w < t.size(); w++) {
        boolean typing = p == lastPart && w == t.size() - 1;
        every.add(word(t.get(w), fields, typing, reader), Occur.MUST);
      }
    }

    BooleanQuery.Builder text = new BooleanQuery.Builder();
    text.add(every.build(), Occur.SHOULD);
    if (all.size() >= 2) {
      text.add(constant(phrase(Fields.NAME, all), PHRASE), Occur.SHOULD);
    }
    String compact = Text.compact(String.join(" ", parts.stream().map(TextPart::value).toList()));
    if (!compact.isEmpty() && compact.length() <= Analyzers.MAX_START_GRAM) {
      if (!parts.get(lastPart).quoted()) {
        // Still typing: the name may go on. A closing quote says the text is complete.
        text.add(
            constant(new TermQuery(new Term(Fields.NAME_START, compact)), STARTS_WITH),
            Occur.SHOULD);
      }
      text.add(
          constant(new TermQuery(new Term(Fields.NAME_EXACT, compact)), SAME_NAME), Occur.SHOULD);
      if (artistNameBonus) {
        text.add(
            constant(
                new TermQuery(new Term(Fields.ARTIST_EXACT, compact)), SAME_NAME * ARTIST_WEIGHT),
            Occur.SHOULD);
      }
    }
    text.setMinimumNumberShouldMatch(1);
    return text.build();
  }

  /**
   * One unquoted word: its best match over the fields, exact, as a prefix or with a typo. Typos are
   * looked for only when no item of the type has the word in any of the searched fields: a word the
   * catalog knows is taken as meant, which also spares the search the items its near spellings
   * would add ("love" does not look for "live", "lose", "dove"; "metalica", which no artist name
   * has, finds "Metallica").
   */
  private static Query word(
      String word, List<TextField> fields, boolean typing, IndexReader reader) {
    List<Query> matches = new ArrayList<>();
    int edits = typoEdits(word);
    if (edits > 0 && known(reader, fields, word)) {
      edits = 0;
    }
    Typos typos = edits > 0 ? Typos.of(word, edits) : null;
    for (TextField f : fields) {
      matches.add(constant(new TermQuery(new Term(f.words(), word)), f.weight() * EXACT));
      if (typing) {
        Query prefix =
            word.length() <= Analyzers.MAX_WORD_GRAM
                ? new TermQuery(new Term(f.prefixes(), word))
                : new PrefixQuery(new Term(f.words(), word));
        matches.add(constant(prefix, f.weight() * PREFIX));
      }
      if (edits > 0) {
        // Each spelling found scores its similarity (1 - edits / length), times the weight.
        Query typo = new TypoQuery(f.words(), typos);
        matches.add(new BoostQuery(typo, f.weight() * TYPO));
      }
    }
    return new DisjunctionMaxQuery(matches, 0f);
  }

  /** A quoted part: its words in order in one field, no prefix, no typo. */
  private static Query quoted(List<String> tokens, List<TextField> fields) {
    List<Query> matches = new ArrayList<>();
    for (TextField f : fields) {
      matches.add(constant(phrase(f.words(), tokens), f.weight() * EXACT * tokens.size()));
    }
    return new DisjunctionMaxQuery(matches, 0f);
  }

  /**
   * Typo tolerance by word length: none up to 3 characters (too many short words are one edit
   * apart), one edit up to 7, two beyond. The first character must be right, which keeps the
   * automaton small.
   */
  static int typoEdits(String word) {
    int length = word.codePointCount(0, word.length());
    return length <= 3 ? 0 : length <= 7 ? 1 : 2;
  }

  // ---- filters

  /** The filter's query for a type; no docs if it cannot apply to the type, null to ignore it. */
  private Query filter(Filter filter, ItemType type, LocalDate today) {
    if (filter instanceof Match m) {
      return switch (m.field()) {
        case ARTIST ->
            type == ItemType.ARTIST
                ? name(Fields.NAME, Fields.NAME_EXACT, m.value())
                : name(Fields.ARTIST, Fields.ARTIST_EXACT, m.value());
        case ALBUM ->
            switch (type) {
              case ALBUM -> name(Fields.NAME, Fields.NAME_EXACT, m.value());
              case TRACK -> name(Fields.ALBUM, Fields.ALBUM_EXACT, m.value());
              default -> NOT_APPLICABLE;
            };
        case TRACK ->
            type == ItemType.TRACK
                ? name(Fields.NAME, Fields.NAME_EXACT, m.value())
                : NOT_APPLICABLE;
        case GENRE -> keyword(Fields.GENRE, Text.keyword(m.value()));
        case ISRC ->
            type == ItemType.TRACK ? keyword(Fields.ISRC, Text.code(m.value())) : NOT_APPLICABLE;
        case UPC ->
            type == ItemType.ALBUM ? keyword(Fields.UPC, Text.code(m.value())) : NOT_APPLICABLE;
      };
    }
    if (filter instanceof YearRange y) {
      return type == ItemType.ARTIST
          ? NOT_APPLICABLE
          : IntPoint.newRangeQuery(Fields.YEAR, y.from(), y.to());
    }
    Tag tag = (Tag) filter;
    if (!tag.isNew() || type == ItemType.ARTIST) {
      return NOT_APPLICABLE;
    }
    int day = Math.toIntExact(today.toEpochDay());
    return IntPoint.newRangeQuery(Fields.RELEASED, day - 14, day);
  }

  /** The value's words as a phrase in the field, or the whole name ignoring punctuation. */
  private Query name(String field, String exactField, String value) {
    List<String> tokens = analyze(value);
    if (tokens.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(phrase(field, tokens), Occur.SHOULD);
    b.add(new TermQuery(new Term(exactField, Text.compact(value))), Occur.SHOULD);
    return b.build();
  }

  private static Query keyword(String field, String value) {
    return value.isEmpty() ? null : new TermQuery(new Term(field, value));
  }

  // ---- helpers

  /** Whether any item has the word in one of the fields (deleted ones until merged away). */
  private static boolean known(IndexReader reader, List<TextField> fields, String word) {
    try {
      for (TextField f : fields) {
        if (reader.docFreq(new Term(f.words(), word)) > 0) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the search index", e);
    }
  }

  private static Query phrase(String field, List<String> tokens) {
    return tokens.size() == 1
        ? new TermQuery(new Term(field, tokens.get(0)))
        : new PhraseQuery(field, tokens.toArray(String[]::new));
  }

  private static Query constant(Query query, float score) {
    return new BoostQuery(new ConstantScoreQuery(query), score);
  }

  List<String> analyze(String text) {
    List<String> tokens = new ArrayList<>();
    try (TokenStream stream = words.tokenStream(Fields.NAME, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        if (term.length() > 0) {
          tokens.add(term.toString());
        }
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing a string cannot fail", e);
    }
    return tokens;
  }
}
