package io.cadenza.edge.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  private static String problem(String json) {
    return StrictJson.problem(Buffer.buffer(json));
  }

  @Test
  void plainJsonPasses() {
    assertThat(problem("{\"a\":\"x\",\"b\":{\"a\":[1,\"\\ud83c\\udfb5\"]},\"c\":null}")).isNull();
    assertThat(problem("[1,2]")).isNull();
    assertThat(problem("42")).isNull();
  }

  @Test
  void duplicatePropertyIsNamed() {
    assertThat(problem("{\"product\":\"free\",\"product\":\"premium\"}"))
        .isEqualTo("Invalid request body: duplicate property product");
    assertThat(problem("{\"a\":{\"b\":1,\"b\":2}}"))
        .isEqualTo("Invalid request body: duplicate property b");
  }

  @Test
  void sameNameInDifferentObjectsPasses() {
    assertThat(problem("{\"a\":{\"b\":1},\"c\":{\"b\":2}}")).isNull();
  }

  @Test
  void unpairedSurrogateIsNamed() {
    assertThat(problem("{\"display_name\":\"a\\ud800b\"}"))
        .isEqualTo("Invalid request body: display_name is not valid Unicode text");
    assertThat(problem("{\"display_name\":\"\\udc00\"}"))
        .isEqualTo("Invalid request body: display_name is not valid Unicode text");
    assertThat(problem("{\"redirect_uris\":[\"ok\",\"\\ud800\"]}"))
        .isEqualTo("Invalid request body: redirect_uris is not valid Unicode text");
    assertThat(problem("{\"x\\ud800\":1}"))
        .isEqualTo("Invalid request body: a property name is not valid Unicode text");
  }

  @Test
  void commentsAndDeepNestingAreMalformed() {
    assertThat(problem("/* hi */ {}")).isEqualTo("Invalid request body: malformed JSON");
    assertThat(problem("[".repeat(5000) + "]".repeat(5000)))
        .isEqualTo("Invalid request body: malformed JSON");
  }
}
