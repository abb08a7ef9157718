package io.cadenza.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ListeningEventJsonTest {

  private static ListeningEvent event() {
    return new ListeningEvent(
        UUID.fromString("6f1c1f7e-3a0b-4c55-9a43-1b7c6c1d2e3f"),
        "user1",
        "track1",
        "device1",
        "cadenza:album:abc",
        Instant.parse("2026-11-30T23:59:00Z"),
        90_000,
        "clickrow",
        "trackdone",
        false,
        true,
        Instant.parse("2026-12-01T08:00:00Z"),
        "SE");
  }

  @Test
  void anEventReadsBackAsItWasWritten() throws Exception {
    ListeningEvent e = event();
    assertEquals(e, ListeningEventJson.read(ListeningEventJson.write(e)));
  }

  @Test
  void playedAtIsTheEndOfThePlayAndDecidesMonthAndDay() {
    ListeningEvent e = event();
    assertEquals(Instant.parse("2026-12-01T00:00:30Z"), e.playedAt());
    assertEquals(202612, e.month());
    assertEquals(LocalDate.parse("2026-12-01"), e.day());
    assertTrue(e.counts(Duration.ofSeconds(30)));
    assertTrue(!e.counts(Duration.ofSeconds(91)));
  }

  @Test
  void optionalFieldsMayBeLeftOut() throws Exception {
    JsonObject json = ListeningEventJson.toJson(event());
    json.remove("context_uri");
    json.remove("client_ts");
    json.remove("country");
    json.remove("offline");
    json.remove("shuffle");
    ListeningEvent read = ListeningEventJson.fromJson(json);
    assertEquals(null, read.contextUri());
    assertEquals(false, read.offline());
  }

  @Test
  void badEventsAreRefusedWithTheFieldAndTheRule() {
    assertReason("not a JSON object", "[1,2]".getBytes(StandardCharsets.UTF_8));
    assertReason("not a JSON object", "{".getBytes(StandardCharsets.UTF_8));
    byte[] malformed = with("device_id", "phone-X");
    malformed[new String(malformed, StandardCharsets.UTF_8).indexOf("phone-X") + 6] = (byte) 0xC3;
    assertReason("not a JSON object", malformed);
    assertReason("schema: version 2", with("schema", 2));
    assertReason("schema: must be", with("schema", null));
    assertReason("event_id: must be a UUID", with("event_id", "not-a-uuid"));
    assertReason("user_id: is required", with("user_id", null));
    assertReason("track_id: must be 1-128", with("track_id", "a b"));
    assertReason("started_at: must be an ISO-8601", with("started_at", "yesterday"));
    assertReason("started_at: must be in the years", with("started_at", "1999-12-31T00:00:00Z"));
    assertReason("ms_played: must be 0 to", with("ms_played", -1));
    assertReason("ms_played: must be a whole number", with("ms_played", 1.5));
    assertReason("ms_played: must be a whole number", with("ms_played", "100"));
    assertReason("reason_end: must be one of", with("reason_end", "bored"));
    assertReason("offline: must be true or false", with("offline", "yes"));
    assertReason("country: must be two capital letters", with("country", "se"));
  }

  private static byte[] with(String field, Object value) {
    return ListeningEventJson.toJson(event())
        .put(field, value)
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void assertReason(String expected, byte[] value) {
    InvalidListeningEvent e =
        assertThrows(InvalidListeningEvent.class, () -> ListeningEventJson.read(value));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }

  @Test
  void theIdCheckIsTheRuleItNames() {
    java.util.regex.Pattern rule = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    java.util.Random random = new java.util.Random(3);
    String alphabet = "aZ09._:-/ é\u00e9\t\"+@";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(8) == 0 ? 120 + random.nextInt(16) : random.nextInt(12);
      for (int k = 0; k < length; k++) {
        text.append(
            random.nextInt(6) == 0
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : (char) ('a' + random.nextInt(26)));
      }
      String id = text.toString();
      assertEquals(rule.matcher(id).matches(), ListeningEventJson.isId(id), id);
    }
  }

  @Test
  void theFastInstantParserAgreesWithInstantParse() {
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              946_684_800L + (long) (random.nextDouble() * 3_155_760_000L),
              random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
      String text = instant.toString();
      if (random.nextBoolean() && text.contains(".")) {
        // Fewer fraction digits than Instant.toString writes.
        int dot = text.indexOf('.');
        int digits = text.length() - dot - 2;
        text = text.substring(0, dot + 1 + 1 + random.nextInt(digits)) + "Z";
      }
      assertParsesLikeInstantParse(text);
    }
    for (String text :
        new String[] {
          "2026-12-06T24:00:00Z", "2016-12-31T23:59:60Z", "2026-02-30T10:00:00Z",
          "2026-13-01T10:00:00Z", "2026-12-06T10:15:30.Z", "2026-12-06T10:15:30.1234567890Z",
          "2026-12-06T10:15:30+01:00", "2026-12-06 10:15:30Z", "2026-12-06T10:15:3xZ",
          "+12026-12-06T10:15:30Z", "2026-12-06T10:15:30", "2026-12-06T10:15:30.5Z"
        }) {
      assertParsesLikeInstantParse(text);
    }
  }

  private static void assertParsesLikeInstantParse(String text) {
    Instant expected;
    try {
      expected = Instant.parse(text);
    } catch (java.time.DateTimeException e) {
      assertThrows(
          java.time.DateTimeException.class, () -> ListeningEventJson.parseInstant(text), text);
      return;
    }
    assertEquals(expected, ListeningEventJson.parseInstant(text), text);
  }
}
