package io.cadenza.edge.media;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.cql.Cql;
import io.cadenza.edge.node.Infrastructure;
import io.cadenza.media.CqlMediaRepository;
import io.cadenza.media.MediaRepository;
import io.cadenza.media.delivery.MediaRoutes;
import io.cadenza.media.delivery.MediaUrls;
import io.cadenza.media.ingest.IngestService;
import io.cadenza.media.store.LocalDiskObjectStore;
import io.cadenza.media.store.ObjectStore;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * The node's media components, made once and shared by every edge verticle instance: the object
 * store, the media table, the ingest service with its one bounded transcode pool, and delivery
 * (signed URLs keyed from the first access-token signing key).
 */
public record MediaServices(
    ObjectStore store, MediaRepository repository, IngestService ingest, MediaRoutes routes)
    implements AutoCloseable {

  public static Future<MediaServices> create(Infrastructure infra) {
    CadenzaSettings settings = infra.settings();
    return infra
        .vertx()
        .executeBlocking(
            () -> LocalDiskObjectStore.create(infra.vertx(), settings.media().storeDir()))
        .compose(
            store ->
                CqlMediaRepository.create(new Cql(infra.cql(), settings.cql().keyspace()))
                    .map(
                        repository ->
                            new MediaServices(
                                store,
                                repository,
                                IngestService.create(settings.media(), store, repository),
                                new MediaRoutes(
                                    infra.vertx(),
                                    store,
                                    repository,
                                    new MediaUrls(
                                        settings.auth().signingKeys().get(0).secret(),
                                        settings.media().urlTtl(),
                                        Clock.systemUTC()),
                                    settings.http().publicUrl(),
                                    settings.media().memoryCache(),
                                    settings.media().memoryCacheMaxFile()))));
  }

  /** Stops the transcode pool. */
  @Override
  public void close() {
    ingest.close();
  }
}
