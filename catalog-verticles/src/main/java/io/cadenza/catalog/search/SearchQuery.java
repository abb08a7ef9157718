package io.cadenza.catalog.search;

import io.cadenza.config.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spotify's {@code q} syntax, parsed: free text mixed with {@code field:value} filters.
 *
 * <p>Filters are {@code artist:}, {@code album:}, {@code track:}, {@code genre:}, {@code isrc:},
 * {@code upc:}, {@code year:1990} or {@code year:1990-1999}, and {@code tag:new}; field names
 * ignore case, a value may be quoted ({@code artist:"Iron Maiden"}) or follow a blank ({@code
 * artist: Metallica}). The parser is lenient because clients are: {@code +} is a blank (forms send
 * it for a space), an unknown {@code field:value} and a {@code year:} that is not a year or range
 * are plain text, a stray or unbalanced quote is dropped or closes at the end, and a filter without
 * a value is ignored. Percent-decoding is the router's job and has happened before.
 *
 * @param text the free text, in order; a quoted part must match exactly (no prefix, no typo)
 * @param filters the filters, all of which an item must match
 */
public record SearchQuery(List<TextPart> text, List<Filter> filters) {

  /** The longest accepted {@code q}, in characters (code points). */
  public static final int MAX_LENGTH = 256;

  private static final Pattern YEARS = Pattern.compile("(\\d{4})(?:[-\u2013](\\d{4}))?");

  public SearchQuery {
    text = List.copyOf(text);
    filters = List.copyOf(filters);
  }

  /** A run of free text; {@code quoted} when the client wrote it between double quotes. */
  public record TextPart(String value, boolean quoted) {}

  /** A condition on a field; an item matches a query only if it matches all its filters. */
  public sealed interface Filter permits Match, YearRange, Tag {}

  /** The fields a {@link Match} filter can name. */
  public enum Field {
    ARTIST,
    ALBUM,
    TRACK,
    GENRE,
    ISRC,
    UPC
  }

  /**
   * {@code artist:}, {@code album:} and {@code track:} match the value's words as a phrase in that
   * name (or the whole name ignoring punctuation: {@code artist:acdc}); {@code genre:} matches a
   * whole genre ignoring case, accents and punctuation; {@code isrc:} and {@code upc:} match the
   * code ignoring case and hyphens.
   */
  public record Match(Field field, String value) implements Filter {}

  /** {@code year:1990} ({@code from == to}) or {@code year:1990-1999}, both ends included. */
  public record YearRange(int from, int to) implements Filter {}

  /**
   * {@code tag:new}: released in the last 14 days. Other tags ({@code tag:hipster}) are kept and
   * match nothing until they are supported.
   */
  public record Tag(String value) implements Filter {

    /** Whether this is {@code tag:new}. */
    public boolean isNew() {
      return value.equals("new");
    }
  }

  /** Whether there is neither text nor a filter to search for. */
  public boolean isEmpty() {
    return text.isEmpty() && filters.isEmpty();
  }

  /**
   * Parses a {@code q} parameter.
   *
   * @throws ValidationException if {@code q} is missing, blank or longer than {@link #MAX_LENGTH}
   */
  public static SearchQuery parse(String q) {
    if (q == null || q.isBlank()) {
      throw new ValidationException("No search query");
    }
    if (q.codePointCount(0, q.length()) > MAX_LENGTH) {
      throw new ValidationException("Search query is longer than " + MAX_LENGTH + " characters");
    }
    return new Parser(q.replace('+', ' ')).parse();
  }

  private static final class Parser {
    private final String s;
    private final List<TextPart> text = new ArrayList<>();
    private final List<Filter> filters = new ArrayList<>();
    private int i;

    Parser(String s) {
      this.s = s;
    }

    SearchQuery parse() {
      while (true) {
        i = skipBlanks(i);
        if (i >= s.length()) {
          return new SearchQuery(text, filters);
        }
        if (s.charAt(i) == '"') {
          addText(quoted(), true);
          continue;
        }
        String field = fieldAt(i);
        if (field != null) {
          i += field.length() + 1;
          filter(field);
          continue;
        }
        addText(bare(), false);
      }
    }

    /** The known field name at {@code at} if a colon follows it, else null. */
    private String fieldAt(int at) {
      int end = at;
      while (end < s.length() && Character.isLetter(s.charAt(end))) {
        end++;
      }
      if (end == at || end >= s.length() || s.charAt(end) != ':') {
        return null;
      }
      String name = s.substring(at, end).toLowerCase(Locale.ROOT);
      return switch (name) {
        case "artist", "album", "track", "genre", "isrc", "upc", "year", "tag" -> name;
        default -> null;
      };
    }

    private void filter(String field) {
      if (i >= s.length() || isBlank(s.charAt(i))) {
        // "artist: Metallica": the value follows after blanks, unless the next word is a filter.
        int next = skipBlanks(i);
        if (next >= s.length() || fieldAt(next) != null) {
          return;
        }
        i = next;
      }
      String value = (s.charAt(i) == '"' ? quoted() : bare()).strip();
      if (value.isEmpty()) {
        return;
      }
      switch (field) {
        case "year" -> year(value);
        case "tag" -> filters.add(new Tag(value.toLowerCase(Locale.ROOT)));
        default -> filters.add(new Match(Field.valueOf(field.toUpperCase(Locale.ROOT)), value));
      }
    }

    private void year(String value) {
      Matcher m = YEARS.matcher(value);
      if (!m.matches()) {
        addText("year " + value, false);
        return;
      }
      int from = Integer.parseInt(m.group(1));
      int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
      filters.add(new YearRange(Math.min(from, to), Math.max(from, to)));
    }

    /** The text between the quote at {@code i} and the next one (or the end). */
    private String quoted() {
      int end = s.indexOf('"', i + 1);
      if (end < 0) {
        end = s.length();
      }
      String value = s.substring(i + 1, end);
      i = Math.min(end + 1, s.length());
      return value;
    }

    /** The text up to the next blank, stray quotes dropped. */
    private String bare() {
      int end = i;
      while (end < s.length() && !isBlank(s.charAt(end))) {
        end++;
      }
      String value = s.substring(i, end).replace("\"", "");
      i = end;
      return value;
    }

    private void addText(String value, boolean quoted) {
      // Colons separate words ("Re: Your Brains"); the word analyzer would keep "a:b" whole.
      String words = String.join(" ", value.replace(':', ' ').strip().split("\\s+"));
      if (!words.isEmpty()) {
        text.add(new TextPart(words, quoted));
      }
    }

    private int skipBlanks(int from) {
      int at = from;
      while (at < s.length() && isBlank(s.charAt(at))) {
        at++;
      }
      return at;
    }

    private static boolean isBlank(char c) {
      return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
  }
}
