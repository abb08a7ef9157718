package io.cadenza.edge.media;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.cql.Cql;
import io.cadenza.edge.node.Infrastructure;
import io.cadenza.media.CqlMediaRepository;
import io.cadenza.media.MediaRepository;
import io.cadenza.media.ingest.IngestService;
import io.cadenza.media.store.LocalDiskObjectStore;
import io.cadenza.media.store.ObjectStore;
import io.vertx.core.Future;

/**
 * The node's media components, made once and shared by every edge verticle instance: the object
 * store, the media table and the ingest service with its one bounded transcode pool.
 */
public record MediaServices(ObjectStore store, MediaRepository repository, IngestService ingest)
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
                                IngestService.create(settings.media(), store, repository))));
  }

  /** Stops the transcode pool. */
  @Override
  public void close() {
    ingest.close();
  }
}
