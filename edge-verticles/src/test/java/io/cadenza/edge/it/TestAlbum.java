package io.cadenza.edge.it;

import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.KafkaChangeFeed;
import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.node.CadenzaNode;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An artist, an album and its tracks written into a node's catalog for tests that play them.
 *
 * @param albumId the album's id
 * @param trackIds its tracks in order
 */
public record TestAlbum(String albumId, List<String> trackIds) {

  /** {@code cadenza:track:<id>} of track {@code i}. */
  public String trackUri(int i) {
    return "cadenza:track:" + trackIds.get(i);
  }

  public String albumUri() {
    return "cadenza:album:" + albumId;
  }

  /**
   * Writes an album of {@code tracks} tracks of {@code durationMs} each into the node's keyspace.
   */
  public static TestAlbum write(CadenzaNode node, String keyspace, int tracks, long durationMs)
      throws Exception {
    var infra = node.infrastructure();
    CatalogRepository writer =
        done(
            CatalogRepository.create(
                new Cql(infra.cql(), keyspace),
                new KafkaChangeFeed(infra.kafkaProducer(), CatalogChange.TOPIC),
                Clock.systemUTC()));
    String artist = Base62Id.random();
    String album = Base62Id.random();
    done(writer.putArtist(new Artist(artist, "Players " + artist, List.of(), 50, List.of())));
    done(
        writer.putAlbum(
            new Album(
                album,
                "Session " + album,
                "album",
                List.of(artist),
                "2024-01-01",
                "day",
                tracks,
                List.of(),
                50,
                List.of())));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < tracks; i++) {
      String id = Base62Id.random();
      done(
          writer.putTrack(
              new Track(
                  id,
                  "Track " + (i + 1),
                  album,
                  List.of(artist),
                  1,
                  i + 1,
                  (int) durationMs,
                  false,
                  null,
                  List.of(),
                  50)));
      ids.add(id);
    }
    return new TestAlbum(album, List.copyOf(ids));
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
