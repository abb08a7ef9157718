package io.cadenza.edge.it;

import static io.cadenza.edge.it.Words.capital;
import static io.cadenza.edge.it.Words.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.KafkaChangeFeed;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.TestNodes;
import io.cadenza.edge.it.Api.Response;
import io.cadenza.edge.node.CadenzaNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one catalog (one keyspace, one Kafka): every catalog change written through a
 * repository of the test's own (as an import or an admin tool would) becomes searchable over HTTP
 * on both nodes within a second of the write's acknowledgement. Each node learns of it only through
 * {@code catalog-changes}; neither is told anything by the test.
 */
class SearchOnEveryNodeIT {

  /** The acceptance bound: a change is searchable on every node within this of its write. */
  private static final Duration BOUND = Duration.ofSeconds(1);

  private static CadenzaNode first;
  private static CadenzaNode second;
  private static String keyspace;
  private static CatalogRepository writer;
  private static List<Api> apis;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    CadenzaSettings a = TestNodes.settings("search-a", Map.of());
    keyspace = a.cql().keyspace();
    first = done(CadenzaNode.start(a), 120);
    CadenzaSettings b = TestNodes.settings("search-b", Map.of("cadenza.cql.keyspace", keyspace));
    second = done(CadenzaNode.start(b), 120);
    done(first.catalog().search().ready(), 60);
    done(second.catalog().search().ready(), 60);
    apis = List.of(new Api(first.url()), new Api(second.url()));
    token = apis.get(0).appToken("Search on every node");
    var infra = first.infrastructure();
    writer =
        done(
            CatalogRepository.create(
                new Cql(infra.cql(), keyspace),
                new KafkaChangeFeed(infra.kafkaProducer(), CatalogChange.TOPIC),
                Clock.systemUTC()),
            30);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (first != null) {
        TestNodes.dropKeyspace(first.infrastructure().cql(), keyspace);
      }
    } finally {
      for (CadenzaNode node : new CadenzaNode[] {second, first}) {
        if (node != null) {
          done(node.stop(), 30);
        }
      }
    }
  }

  @Test
  void everyKindOfChangeIsSearchableOnBothNodesWithinOneSecond() throws Exception {
    List<Long> latencies = new ArrayList<>();
    String artistId = Base62Id.random();
    String artistName = capital(word(10));
    String albumId = Base62Id.random();
    String albumName = capital(word(9));

    done(writer.putArtist(new Artist(artistId, artistName, List.of(), 30, List.of())), 30);
    latencies.add(untilBoth(artistName, "artist", ids -> ids.contains(artistId)));

    done(
        writer.putAlbum(
            new Album(
                albumId,
                albumName,
                "album",
                List.of(artistId),
                "2024",
                "year",
                1,
                List.of(),
                30,
                List.of())),
        30);
    latencies.add(untilBoth(albumName, "album", ids -> ids.contains(albumId)));

    for (int i = 0; i < 5; i++) {
      String trackId = Base62Id.random();
      String trackName = capital(word(8));
      done(writer.putTrack(track(trackId, albumId, artistId, trackName)), 30);
      latencies.add(untilBoth(trackName, "track", ids -> ids.contains(trackId)));

      String renamed = capital(word(8));
      done(writer.putTrack(track(trackId, albumId, artistId, renamed)), 30);
      latencies.add(untilBoth(renamed, "track", ids -> ids.contains(trackId)));
      assertThat(idsOn(apis.get(0), trackName, "track")).doesNotContain(trackId);
      assertThat(idsOn(apis.get(1), trackName, "track")).doesNotContain(trackId);

      done(writer.deleteTrack(trackId), 30);
      latencies.add(untilBoth(renamed, "track", ids -> !ids.contains(trackId)));
    }

    System.out.printf(
        "Searchable on both nodes after the write: %s ms (max %d ms)%n",
        latencies, latencies.stream().mapToLong(Long::longValue).max().orElse(-1));
    assertThat(latencies).allMatch(ms -> ms <= BOUND.toMillis());
  }

  /**
   * Polls both nodes every 10 ms until each one's answer satisfies {@code holds}; returns the
   * milliseconds from the call (just after the write was acknowledged) until both did. Gives up
   * after five times the bound, so that a slow machine still reports every latency and the caller
   * asserts the bound itself.
   */
  private static long untilBoth(String q, String type, Predicate<List<String>> holds) {
    long start = System.nanoTime();
    boolean[] seen = new boolean[apis.size()];
    await()
        .atMost(BOUND.multipliedBy(5))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .alias("'" + q + "' (" + type + ") on both nodes")
        .until(
            () -> {
              for (int n = 0; n < apis.size(); n++) {
                seen[n] = seen[n] || holds.test(idsOn(apis.get(n), q, type));
              }
              return seen[0] && seen[1];
            });
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static List<String> idsOn(Api api, String q, String type) {
    Response response =
        api.get(
            "/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&type=" + type,
            token);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().getJsonObject(type + "s").getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("id"))
        .toList();
  }

  private static Track track(String id, String album, String artist, String name) {
    return new Track(id, name, album, List.of(artist), 1, 1, 200_000, false, null, List.of(), 30);
  }

  private static <T> T done(Future<T> future, int seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
