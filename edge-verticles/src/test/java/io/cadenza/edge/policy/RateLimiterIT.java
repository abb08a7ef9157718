package io.cadenza.edge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.config.CadenzaSettings.Bucket;
import io.cadenza.edge.OwnRedis;
import io.cadenza.edge.TestNodes;
import io.cadenza.edge.policy.RateLimiter.Decision;
import io.cadenza.edge.policy.RateLimiter.Limit;
import io.cadenza.edge.policy.RateLimiter.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limiter against a real Redis: its own redis-server (the OS package) on a free loopback port,
 * so a test can stop or freeze it without touching the shared test stack.
 */
class RateLimiterIT {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimiterIT.class);

  /** Refills one token in 100 s: no refill within a test. */
  private static final double SLOW = 0.01;

  private final OwnRedis redisServer = new OwnRedis(TestNodes.freePort(), "rate-limiter-it");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Vertx vertx;
  private Redis redis;
  private RateLimiter limiter;

  @BeforeEach
  void start() throws IOException {
    redisServer.start();
    vertx = Vertx.vertx();
    redis =
        Redis.createClient(
            vertx,
            new RedisOptions()
                .setConnectionString(redisServer.url())
                .setMaxPoolSize(16)
                .setMaxPoolWaiting(10_000));
    warmUp();
    limiter = RateLimiter.create(redis, registry);
  }

  /**
   * Connects the pool and caches the script in Redis through a limiter of its own (its decisions
   * are not counted): a cold JVM's first call may take longer than the fail-open timeout.
   */
  private void warmUp() {
    RateLimiter warmUp = RateLimiter.create(redis, new SimpleMeterRegistry());
    Limit limit = Limit.user(unique("warm-up"), new Bucket(1_000_000, 1_000));
    long started = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                warmUp.acquire(null, List.of(limit)).timeout(5, TimeUnit.SECONDS).await().outcome()
                    == Outcome.ALLOWED);
    LOG.info("First check on a new client took {} ms.", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      if (vertx != null) {
        redis.close();
        vertx.close().timeout(10, TimeUnit.SECONDS).await();
      }
    } finally {
      redisServer.stop();
    }
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID();
  }

  private Decision acquire(String tokenId, Limit... limits) {
    return limiter.acquire(tokenId, List.of(limits)).timeout(5, TimeUnit.SECONDS).await();
  }

  private Response redis(Command command, String... args) {
    Request request = Request.cmd(command);
    for (String arg : args) {
      request.arg(arg);
    }
    return redis.send(request).timeout(5, TimeUnit.SECONDS).await();
  }

  private double counter(String name, String... tags) {
    var search = registry.find(name).tags(tags).counter();
    return search == null ? 0 : search.count();
  }

  @Test
  void burstOfCapacityIsAllowedThenRefusedWithRetryAfter() {
    Limit user = Limit.user(unique("ann"), new Bucket(5, 0.2));

    for (int i = 0; i < 5; i++) {
      Decision decision = acquire(null, user);
      assertThat(decision.outcome()).isEqualTo(Outcome.ALLOWED);
      assertThat(decision.remaining()).isEqualTo(4 - i);
    }
    Decision refused = acquire(null, user);

    assertThat(refused.outcome()).isEqualTo(Outcome.LIMITED);
    assertThat(refused.allowed()).isFalse();
    // one token in 5 s at 0.2/s
    assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(counter("cadenza.rate.limit.decisions", "outcome", "allowed")).isEqualTo(5);
    assertThat(counter("cadenza.rate.limit.decisions", "outcome", "limited")).isEqualTo(1);
  }

  @Test
  void bucketRefillsOverTime() {
    Limit user = Limit.user(unique("bob"), new Bucket(2, 20));
    assertThat(acquire(null, user).allowed()).isTrue();
    assertThat(acquire(null, user).allowed()).isTrue();
    Decision refused = acquire(null, user);
    assertThat(refused.outcome()).isEqualTo(Outcome.LIMITED);
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> acquire(null, user).allowed());
  }

  @Test
  void refusedRequestTakesNothingFromTheOtherBucket() {
    Limit user = Limit.user(unique("cat"), new Bucket(1, SLOW));
    Limit client = Limit.client(unique("app"), new Bucket(2, SLOW));

    assertThat(acquire(null, user, client).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(acquire(null, user, client).outcome()).isEqualTo(Outcome.LIMITED);
    assertThat(acquire(null, user, client).outcome()).isEqualTo(Outcome.LIMITED);

    // the client's second token is still there, and then the client's bucket is empty
    assertThat(acquire(null, client).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(acquire(null, client).outcome()).isEqualTo(Outcome.LIMITED);
  }

  @Test
  void revokedTokenIsReportedAndTakesNoToken() {
    Limit user = Limit.user(unique("dan"), new Bucket(1, SLOW));
    String revoked = unique("jti");
    limiter.revoke(revoked, Instant.now().plusSeconds(60)).timeout(5, TimeUnit.SECONDS).await();

    assertThat(acquire(revoked, user).outcome()).isEqualTo(Outcome.REVOKED);
    assertThat(acquire(revoked).outcome()).isEqualTo(Outcome.REVOKED);
    assertThat(acquire(unique("jti"), user).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(counter("cadenza.rate.limit.decisions", "outcome", "revoked")).isEqualTo(2);
  }

  @Test
  void revocationLastsUntilTheTokenExpires() {
    String tokenId = unique("jti");
    limiter.revoke(tokenId, Instant.now().plusSeconds(60)).timeout(5, TimeUnit.SECONDS).await();

    long ttl = redis(Command.PTTL, "cadenza:revoked:" + tokenId).toLong();

    assertThat(ttl).isBetween(55_000L, 60_000L);
  }

  @Test
  void revokingAnExpiredTokenStoresNothing() {
    String tokenId = unique("jti");
    limiter.revoke(tokenId, Instant.now().minusSeconds(1)).timeout(5, TimeUnit.SECONDS).await();

    assertThat(redis(Command.EXISTS, "cadenza:revoked:" + tokenId).toInteger()).isZero();
    assertThat(acquire(tokenId).outcome()).isEqualTo(Outcome.ALLOWED);
  }

  @Test
  void idleBucketExpiresOnceItWouldBeFullAgain() {
    Limit client = Limit.client(unique("app"), new Bucket(10, 5));
    acquire(null, client);
    acquire(null, client);

    long ttl = redis(Command.PTTL, client.key()).toLong();

    // two tokens refill in 400 ms; the key lives that long plus a 1 s margin
    assertThat(ttl).isBetween(1_000L, 1_400L);
  }

  @Test
  void scriptFlushedFromRedisIsLoadedAgain() {
    Limit user = Limit.user(unique("eve"), new Bucket(3, SLOW));
    assertThat(acquire(null, user).remaining()).isEqualTo(2);

    redis(Command.SCRIPT, "FLUSH");

    assertThat(acquire(null, user).remaining()).isEqualTo(1);
    assertThat(acquire(null, user).remaining()).isEqualTo(0);
  }

  @Test
  void stoppedRedisFailsOpenAndIsCounted() throws InterruptedException {
    Limit user = Limit.user(unique("fay"), new Bucket(1, SLOW));
    assertThat(acquire(null, user).outcome()).isEqualTo(Outcome.ALLOWED);

    redisServer.stop();

    Decision first = acquire(unique("jti"), user);
    Decision second = acquire(unique("jti"), user);
    assertThat(first.outcome()).isEqualTo(Outcome.UNCHECKED);
    assertThat(first.allowed()).isTrue();
    assertThat(second.allowed()).isTrue();
    assertThat(counter("cadenza.rate.limit.fail.open")).isEqualTo(2);
  }

  @Test
  void frozenRedisFailsOpenAfterTheTimeout() throws Exception {
    Limit user = Limit.user(unique("gus"), new Bucket(1, SLOW));
    assertThat(acquire(null, user).outcome()).isEqualTo(Outcome.ALLOWED);

    signal("STOP");
    long started = System.nanoTime();
    Decision decision;
    try {
      decision = acquire(null, user);
    } finally {
      signal("CONT");
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(decision.outcome()).isEqualTo(Outcome.UNCHECKED);
    assertThat(tookMs).isBetween(200L, 2_000L);
    assertThat(counter("cadenza.rate.limit.fail.open")).isEqualTo(1);
    // once Redis answers again, the bucket (already empty) is enforced again
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> acquire(null, user).outcome() == Outcome.LIMITED);
  }

  @Test
  void concurrentBurstNeverAllowsMoreThanTheCapacity() {
    int capacity = 25;
    Limit user = Limit.user(unique("hal"), new Bucket(capacity, SLOW));
    Limit client = Limit.client(unique("app"), new Bucket(1000, SLOW));

    List<Future<Decision>> burst = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      burst.add(limiter.acquire(null, List.of(user, client)));
    }
    List<Decision> decisions = Future.all(burst).timeout(30, TimeUnit.SECONDS).await().list();

    assertThat(decisions).extracting(Decision::outcome).doesNotContain(Outcome.UNCHECKED);
    assertThat(decisions.stream().filter(Decision::allowed).count()).isEqualTo(capacity);
    // refused requests took nothing from the client's bucket
    assertThat(acquire(null, client).remaining()).isEqualTo(1000 - capacity - 1);
  }

  @Test
  void loopbackCheckTakesFarLessThanTheFailOpenTimeout() {
    Limit user = Limit.user(unique("ivy"), new Bucket(1_000_000, 1_000));
    Limit client = Limit.client(unique("app"), new Bucket(1_000_000, 1_000));
    for (int i = 0; i < 200; i++) {
      acquire(unique("jti"), user, client);
    }
    long[] micros = new long[1000];
    for (int i = 0; i < micros.length; i++) {
      long started = System.nanoTime();
      acquire("jti-" + i, user, client);
      micros[i] = (System.nanoTime() - started) / 1000;
    }
    Arrays.sort(micros);
    long p50 = micros[micros.length / 2];
    long p99 = micros[micros.length * 99 / 100];
    LOG.info(
        "One check (2 buckets + revocation), sequential on loopback: p50 {} µs, p99 {} µs, max {} µs.",
        p50,
        p99,
        micros[micros.length - 1]);

    assertThat(p99).isLessThan(RateLimiter.DEFAULT_TIMEOUT.toNanos() / 1000);
  }

  /** Sends a signal to our redis-server (STOP freezes it like a hung host, CONT thaws it). */
  private void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, String.valueOf(redisServer.pid()))
            .inheritIO()
            .start();
    assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
