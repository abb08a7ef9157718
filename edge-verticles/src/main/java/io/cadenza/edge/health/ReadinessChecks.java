package io.cadenza.edge.health;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.cadenza.catalog.search.feed.SearchService;
import io.cadenza.edge.node.Infrastructure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;

/**
 * What {@code /ready} checks: each dependency answers a real request within the configured timeout.
 * Any check DOWN makes {@code /ready} answer 503 with every check listed.
 */
public final class ReadinessChecks {

  private ReadinessChecks() {}

  public static HealthChecks create(Vertx vertx, Infrastructure infra, SearchService search) {
    long timeout = infra.settings().health().checkTimeout().toMillis();
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("scylladb", timeout, promise -> scylla(vertx, infra, promise));
    checks.register("kafka", timeout, promise -> kafka(vertx, infra, timeout, promise));
    checks.register("redis", timeout, promise -> redis(infra, promise));
    checks.register("akka-cluster", timeout, promise -> akka(infra, promise));
    checks.register("hazelcast", timeout, promise -> hazelcast(infra, promise));
    checks.register("search-index", timeout, promise -> search(search, promise));
    return checks;
  }

  private static void scylla(Vertx vertx, Infrastructure infra, Promise<Status> promise) {
    var stage =
        infra
            .cql()
            .executeAsync(
                SimpleStatement.newInstance("SELECT release_version FROM system.local")
                    .setTimeout(infra.settings().health().checkTimeout()));
    complete(
        Future.fromCompletionStage(stage, vertx.getOrCreateContext())
            .map(
                rs -> {
                  var row = rs.one();
                  return new JsonObject()
                      .put("release_version", row == null ? null : row.getString(0))
                      .put("keyspace", infra.settings().cql().keyspace());
                }),
        promise);
  }

  private static void kafka(
      Vertx vertx, Infrastructure infra, long timeout, Promise<Status> promise) {
    var cluster = infra.kafkaAdmin().describeCluster();
    var stage =
        cluster
            .clusterId()
            .toCompletionStage()
            .thenCombine(
                cluster.nodes().toCompletionStage(),
                (id, nodes) -> new JsonObject().put("cluster_id", id).put("brokers", nodes.size()))
            .toCompletableFuture()
            .orTimeout(timeout, TimeUnit.MILLISECONDS);
    complete(Future.fromCompletionStage(stage, vertx.getOrCreateContext()), promise);
  }

  private static void redis(Infrastructure infra, Promise<Status> promise) {
    complete(
        infra
            .redis()
            .send(Request.cmd(Command.PING))
            .map(reply -> new JsonObject().put("ping", reply == null ? null : reply.toString())),
        promise);
  }

  private static void akka(Infrastructure infra, Promise<Status> promise) {
    var cluster = infra.sessionCluster();
    JsonObject data =
        new JsonObject()
            .put("address", cluster.selfAddress().toString())
            .put("members_up", cluster.membersUp())
            .put("unreachable", cluster.unreachable());
    promise.complete(cluster.isUp() ? Status.OK(data) : Status.KO(data));
  }

  private static void hazelcast(Infrastructure infra, Promise<Status> promise) {
    var instance = infra.hazelcast();
    boolean running = instance.getLifecycleService().isRunning();
    JsonObject data =
        new JsonObject().put("members", running ? instance.getCluster().getMembers().size() : 0);
    promise.complete(running ? Status.OK(data) : Status.KO(data));
  }

  /** Up once the node's search index is rebuilt from the catalog; while it is, how far it got. */
  private static void search(SearchService search, Promise<Status> promise) {
    SearchService.Progress progress = search.progress();
    JsonObject data =
        new JsonObject()
            .put("state", progress.ready() ? "ready" : "rebuilding")
            .put("artists_read", progress.artists())
            .put("albums_read", progress.albums())
            .put("tracks_read", progress.tracks());
    if (progress.lastFailure() != null) {
      data.put("last_failure", progress.lastFailure());
    }
    promise.complete(progress.ready() ? Status.OK(data) : Status.KO(data));
  }

  private static void complete(Future<JsonObject> check, Promise<Status> promise) {
    check.onComplete(
        result ->
            promise.complete(
                result.succeeded()
                    ? Status.OK(result.result())
                    : Status.KO(new JsonObject().put("error", describe(result.cause())))));
  }

  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
