package io.cadenza.catalog.search.internal;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.FilteredTermsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BoostAttribute;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;

/**
 * Matches the terms of a field within a few edits of a word, each scoring its {@link
 * Typos#similarity} (the best {@value #MAX_SPELLINGS} spellings are kept): Lucene's {@code
 * FuzzyQuery} with its automata built once per word ({@link Typos}) instead of once per query and
 * field.
 */
final class TypoQuery extends MultiTermQuery {

  /** At most this many spellings of one word are searched for. */
  static final int MAX_SPELLINGS = 50;

  private final Typos typos;

  TypoQuery(String field, Typos typos) {
    super(field, new MultiTermQuery.TopTermsBoostOnlyBooleanQueryRewrite(MAX_SPELLINGS));
    this.typos = typos;
  }

  @Override
  protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws IOException {
    return new SimilarityTermsEnum(typos.all().getTermsEnum(terms), typos);
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(field)) {
      typos.all().visit(visitor, this, field);
    }
  }

  @Override
  public String toString(String defaultField) {
    return (field.equals(defaultField) ? "" : field + ":") + typos.word() + "~" + typos.maxEdits();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TypoQuery that
        && field.equals(that.field)
        && typos.word().equals(that.typos.word())
        && typos.maxEdits() == that.typos.maxEdits();
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, typos.word(), typos.maxEdits());
  }

  /** Passes the automaton's terms through, telling the rewrite how alike each is to the word. */
  private static final class SimilarityTermsEnum extends FilteredTermsEnum {
    private final Typos typos;
    private final BoostAttribute boost;

    SimilarityTermsEnum(TermsEnum accepted, Typos typos) {
      super(accepted, false);
      this.typos = typos;
      this.boost = attributes().addAttribute(BoostAttribute.class);
    }

    @Override
    protected AcceptStatus accept(BytesRef term) {
      boost.setBoost(typos.similarity(term));
      return AcceptStatus.YES;
    }
  }
}
