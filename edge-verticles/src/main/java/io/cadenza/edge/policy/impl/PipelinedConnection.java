package io.cadenza.edge.policy.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived Redis connection on which requests are pipelined: a check sent while others are in
 * flight goes out at once instead of waiting for a free pooled connection, so the rate limiter's
 * throughput is not capped at pool size ÷ round-trip time. The connection is opened on first use
 * and again after it fails or closes (one attempt at a time; callers during the attempt share it).
 *
 * <p>Meant for one Vert.x context (each edge verticle instance has its own), yet safe to call from
 * any thread.
 */
final class PipelinedConnection {

  private static final long RESET_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Redis client;
  private RedisConnection connection;
  private Future<RedisConnection> connecting;
  private long lastReset = System.nanoTime() - RESET_INTERVAL_NANOS;
  private volatile long lastAnswer = System.nanoTime();

  PipelinedConnection(Redis client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  Future<Response> send(Request request) {
    RedisConnection open;
    synchronized (this) {
      open = connection;
    }
    Future<Response> reply =
        open != null ? open.send(request) : connect().compose(opened -> opened.send(request));
    return reply.onSuccess(answered -> lastAnswer = System.nanoTime());
  }

  private synchronized Future<RedisConnection> connect() {
    if (connecting != null) {
      return connecting;
    }
    Promise<RedisConnection> attempt = Promise.promise();
    Future<RedisConnection> future = attempt.future();
    connecting = future;
    // may complete at once (a pooled connection at hand), so the future is returned from the local
    client.connect().onComplete(done -> connected(attempt, done.result(), done.cause()));
    return future;
  }

  private void connected(
      Promise<RedisConnection> attempt, RedisConnection opened, Throwable cause) {
    synchronized (this) {
      if (connecting == attempt.future()) {
        connecting = null;
      }
      if (opened != null) {
        opened.exceptionHandler(failure -> drop(opened));
        opened.endHandler(v -> drop(opened));
        connection = opened;
        lastAnswer = System.nanoTime();
      }
    }
    if (opened != null) {
      attempt.complete(opened);
    } else {
      attempt.fail(cause);
    }
  }

  private synchronized void drop(RedisConnection failed) {
    if (connection == failed) {
      connection = null;
      failed.close();
    }
  }

  /**
   * Drops the connection when it has answered nothing for {@code silenceNanos}, so the next request
   * opens a new one: for a connection that stopped answering without failing (a hung server, a lost
   * network path), which no handler reports. A connection that still answers, if slowly, is kept
   * (dropping it would fail every request in flight on it); and at most one reset per second.
   */
  synchronized void resetIfSilentFor(long silenceNanos) {
    long now = System.nanoTime();
    if (connection != null
        && now - lastAnswer >= silenceNanos
        && now - lastReset >= RESET_INTERVAL_NANOS) {
      lastReset = now;
      RedisConnection stale = connection;
      connection = null;
      stale.close();
    }
  }

  Future<Void> close() {
    RedisConnection open;
    synchronized (this) {
      open = connection;
      connection = null;
    }
    return open == null ? Future.succeededFuture() : open.close();
  }
}
