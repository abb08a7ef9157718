package io.cadenza.edge.catalog;

import io.cadenza.catalog.api.CatalogReads;
import io.cadenza.catalog.api.SpotifyJson;
import io.cadenza.catalog.cache.CacheInvalidation;
import io.cadenza.catalog.cache.CacheSettings;
import io.cadenza.catalog.cache.CachedCatalog;
import io.cadenza.catalog.changes.CatalogChange;
import io.cadenza.catalog.changes.KafkaChangeFeed;
import io.cadenza.catalog.search.SearchIndex;
import io.cadenza.catalog.search.feed.SearchService;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.cql.Cql;
import io.cadenza.edge.node.Infrastructure;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.concurrent.Semaphore;

/**
 * The node's catalog components, made once and shared by every edge verticle instance: the
 * repository on the node's CQL session (writes announced with the node's Kafka producer), its
 * caches, the consumer of {@value CatalogChange#TOPIC} that evicts from them, and the read
 * operations of the {@code /v1} catalog endpoints, and the search index (memory-mapped, in {@code
 * cadenza.search.index-dir}/node name) with the service that rebuilds it from the store in the
 * background from the start and follows the feed; the node's {@code /ready} waits for that rebuild.
 * {@code searchPermits} bounds the searches running or waiting for a worker at once (more are
 * refused with 503 at once rather than queued behind work their callers may have given up on).
 */
public record CatalogServices(
    CachedCatalog repository,
    CatalogReads reads,
    CacheInvalidation invalidation,
    SearchService search,
    Semaphore searchPermits) {

  public static Future<CatalogServices> create(Infrastructure infra) {
    CadenzaSettings settings = infra.settings();
    return CatalogRepository.create(
            new Cql(infra.cql(), settings.cql().keyspace()),
            new KafkaChangeFeed(infra.kafkaProducer(), CatalogChange.TOPIC),
            Clock.systemUTC())
        .compose(
            repository -> {
              CachedCatalog cached =
                  new CachedCatalog(
                      infra.vertx(),
                      repository,
                      infra.redis(),
                      CacheSettings.DEFAULT,
                      infra.metrics());
              CatalogReads reads =
                  new CatalogReads(
                      cached, new SpotifyJson(settings.http().publicUrl()), Clock.systemUTC());
              return CacheInvalidation.start(
                      infra.vertx(), settings.kafka(), settings.node().name(), cached)
                  .compose(
                      invalidation -> {
                        SearchIndex index =
                            SearchIndex.create(
                                Clock.systemUTC(),
                                SearchIndex.Options.inFolder(
                                    settings.search().indexDir().resolve(settings.node().name())));
                        // The uncached repository: the index reads rows the feed just announced.
                        return SearchService.start(
                                infra.vertx(),
                                settings.kafka(),
                                settings.node().name(),
                                repository,
                                index,
                                settings.search().rebuildScans())
                            .onFailure(e -> index.close())
                            .map(
                                search ->
                                    new CatalogServices(
                                        cached,
                                        reads,
                                        invalidation,
                                        search,
                                        new Semaphore(settings.search().maxInFlight())))
                            .recover(
                                e -> invalidation.close().transform(x -> Future.failedFuture(e)));
                      });
            });
  }

  /** Stops following the change feed and releases the search index. */
  public Future<Void> close() {
    return Future.join(invalidation.close(), search.close())
        .<Void>mapEmpty()
        .onComplete(x -> search.index().close());
  }
}
