package io.cadenza.edge.openapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * What RFC 8259 JSON bodies may not be, though Vert.x's lenient parser takes them: comments, a
 * property given twice in one object (the parser keeps the last, so a field could be validated and
 * used with different values by different readers), and strings with an unpaired UTF-16 surrogate
 * (a {@code \ud800} escape, which no UTF-8 store can hold: the database driver throws on it).
 */
final class StrictJson {

  /** Jackson's defaults: no comments, no single quotes, nesting limited. */
  private static final JsonFactory FACTORY = new JsonFactory();

  private StrictJson() {}

  /**
   * @return the client's message for the first problem of the body, or null when there is none
   */
  static String problem(Buffer body) {
    try (JsonParser parser = FACTORY.createParser(body.getBytes())) {
      Deque<Set<String>> objects = new ArrayDeque<>();
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        switch (token) {
          case START_OBJECT -> objects.push(new HashSet<>());
          case END_OBJECT -> objects.pop();
          case FIELD_NAME -> {
            String name = parser.currentName();
            if (!isUnicode(name)) {
              return "Invalid request body: a property name is not valid Unicode text";
            }
            if (!objects.isEmpty() && !objects.peek().add(name)) {
              return "Invalid request body: duplicate property " + name;
            }
          }
          case VALUE_STRING -> {
            if (!isUnicode(parser.getText())) {
              String name = parser.currentName();
              if (name == null && parser.getParsingContext().inArray()) {
                name = parser.getParsingContext().getParent().getCurrentName();
              }
              return "Invalid request body: "
                  + (name == null ? "a string" : name)
                  + " is not valid Unicode text";
            }
          }
          default -> {
            // numbers, literals and arrays need no check of their own
          }
        }
      }
      return null;
    } catch (IOException malformed) {
      return "Invalid request body: malformed JSON";
    }
  }

  /** Whether every surrogate in the text is half of a pair. */
  static boolean isUnicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
