package io.cadenza.edge.oauth;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cadenza.config.cql.Cql;
import io.cadenza.edge.auth.Secrets;
import io.vertx.core.Future;
import io.vertx.ext.web.handler.HttpException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * The Device Authorization Grant (RFC 8628) for speakers and TVs: the device gets a device code and
 * a short user code; the user approves the user code from a signed-in device; the device polls the
 * token endpoint until then. States: {@code pending} → {@code approved}/{@code denied} → {@code
 * consumed}, each move a lightweight transaction, so a code yields tokens exactly once.
 */
public final class DeviceCodes {

  /** What the device is told when it asks for a code. */
  public record Started(String deviceCode, String userCode, long expiresIn, long interval) {}

  private final Cql cql;
  private final Duration ttl;
  private final Duration interval;
  private final Clock clock;
  private PreparedStatement insert;
  private PreparedStatement claimUserCode;
  private PreparedStatement byHash;
  private PreparedStatement hashByUserCode;
  private PreparedStatement touch;
  private PreparedStatement decide;
  private PreparedStatement consume;

  private DeviceCodes(Cql cql, Duration ttl, Duration interval, Clock clock) {
    this.cql = cql;
    this.ttl = ttl;
    this.interval = interval;
    this.clock = clock;
  }

  public static Future<DeviceCodes> create(Cql cql, Duration ttl, Duration interval, Clock clock) {
    DeviceCodes codes = new DeviceCodes(cql, ttl, interval, clock);
    return Future.all(
            java.util.List.of(
                cql.prepare(
                        "INSERT INTO %s.device_codes (device_code_hash, user_code, client_id, scopes,"
                            + " status, expires_at) VALUES (?, ?, ?, ?, 'pending', ?) USING TTL ?")
                    .onSuccess(p -> codes.insert = p),
                cql.prepare(
                        "INSERT INTO %s.device_codes_by_user_code (user_code, device_code_hash)"
                            + " VALUES (?, ?) IF NOT EXISTS USING TTL ?")
                    .onSuccess(p -> codes.claimUserCode = p),
                cql.prepare(
                        "SELECT client_id, scopes, status, user_id, expires_at, last_poll_at"
                            + " FROM %s.device_codes WHERE device_code_hash = ?")
                    .onSuccess(p -> codes.byHash = p),
                cql.prepare(
                        "SELECT device_code_hash FROM %s.device_codes_by_user_code WHERE user_code = ?")
                    .onSuccess(p -> codes.hashByUserCode = p),
                cql.prepare(
                        "UPDATE %s.device_codes USING TTL ? SET last_poll_at = ?"
                            + " WHERE device_code_hash = ?")
                    .onSuccess(p -> codes.touch = p),
                cql.prepare(
                        "UPDATE %s.device_codes USING TTL ? SET status = ?, user_id = ?"
                            + " WHERE device_code_hash = ? IF status = 'pending'")
                    .onSuccess(p -> codes.decide = p),
                cql.prepare(
                        "UPDATE %s.device_codes USING TTL ? SET status = 'consumed'"
                            + " WHERE device_code_hash = ? IF status = 'approved'")
                    .onSuccess(p -> codes.consume = p)))
        .map(codes);
  }

  public Future<Started> start(String clientId, Set<String> scopes) {
    String deviceCode = Secrets.token();
    String hash = Secrets.hash(deviceCode);
    Instant expires = clock.instant().plus(ttl);
    int seconds = (int) ttl.toSeconds();
    return claimUniqueUserCode(hash, seconds, 5)
        .compose(
            userCode ->
                cql.execute(insert.bind(hash, userCode, clientId, scopes, expires, seconds))
                    .map(
                        done ->
                            new Started(
                                deviceCode, userCode, ttl.toSeconds(), interval.toSeconds())));
  }

  private Future<String> claimUniqueUserCode(String hash, int seconds, int attemptsLeft) {
    String userCode = Secrets.userCode();
    return cql.applied(claimUserCode.bind(userCode, hash, seconds))
        .compose(
            won -> {
              if (won) {
                return Future.succeededFuture(userCode);
              }
              if (attemptsLeft <= 1) {
                return Future.failedFuture(
                    new IllegalStateException("no free user code after several attempts"));
              }
              return claimUniqueUserCode(hash, seconds, attemptsLeft - 1);
            });
  }

  /** Normalises what a person typed: case, spaces, and the dash are optional. */
  public static String normaliseUserCode(String typed) {
    String letters = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    return letters.length() == 8 ? letters.substring(0, 4) + "-" + letters.substring(4) : letters;
  }

  /**
   * The approving user's decision on a user code.
   *
   * @return false when the code is unknown, expired or already decided
   */
  public Future<Boolean> decide(String typedUserCode, String userId, boolean approve) {
    return decide(typedUserCode, userId, approve, null);
  }

  /**
   * Like {@link #decide(String, String, boolean)}, for an approval made with a token: the device
   * may be approved only for scopes among {@code grantable} (null: any), else the future fails with
   * 403, so a token cannot mint a wider one through a device.
   */
  public Future<Boolean> decide(
      String typedUserCode, String userId, boolean approve, Set<String> grantable) {
    return cql.one(hashByUserCode.bind(normaliseUserCode(typedUserCode)))
        .compose(
            mapping -> {
              if (mapping == null) {
                return Future.succeededFuture(false);
              }
              String hash = mapping.getString(0);
              return cql.one(byHash.bind(hash))
                  .compose(
                      row -> {
                        int left = secondsLeft(row);
                        if (left <= 0) {
                          return Future.succeededFuture(false);
                        }
                        if (approve
                            && grantable != null
                            && !grantable.containsAll(row.getSet("scopes", String.class))) {
                          return Future.failedFuture(
                              new HttpException(403, "Insufficient client scope"));
                        }
                        return cql.applied(
                            decide.bind(left, approve ? "approved" : "denied", userId, hash));
                      });
            });
  }

  /**
   * One poll of the device. Fails with the RFC 8628 errors ({@code authorization_pending}, {@code
   * slow_down}, {@code access_denied}, {@code expired_token}) until the user approved; then returns
   * the grant, once.
   */
  public Future<Grant> poll(String deviceCode, String clientId) {
    String hash = Secrets.hash(deviceCode);
    return cql.one(byHash.bind(hash))
        .compose(
            row -> {
              int left = secondsLeft(row);
              if (left <= 0) {
                return fail("expired_token", "The device code has expired");
              }
              if (!clientId.equals(row.getString("client_id"))) {
                return Future.failedFuture(OAuthException.invalidGrant("Invalid device code"));
              }
              Instant now = clock.instant();
              Instant lastPoll = row.getInstant("last_poll_at");
              Future<Void> touched = cql.execute(touch.bind(left, now, hash)).mapEmpty();
              if (lastPoll != null && lastPoll.plus(interval).isAfter(now)) {
                return touched.compose(
                    done -> fail("slow_down", "Polling too fast; wait the interval between polls"));
              }
              String status = row.getString("status");
              return touched.compose(
                  done ->
                      switch (status) {
                        case "pending" ->
                            fail(
                                "authorization_pending",
                                "The user has not approved the device yet");
                        case "denied" -> fail("access_denied", "The user denied the device");
                        case "approved" ->
                            cql.applied(consume.bind(left, hash))
                                .compose(
                                    won ->
                                        won
                                            ? Future.succeededFuture(
                                                new Grant(
                                                    row.getString("user_id"),
                                                    clientId,
                                                    row.getSet("scopes", String.class),
                                                    null))
                                            : Future.failedFuture(
                                                OAuthException.invalidGrant(
                                                    "Invalid device code")));
                        default ->
                            Future.failedFuture(OAuthException.invalidGrant("Invalid device code"));
                      });
            });
  }

  private int secondsLeft(Row row) {
    if (row == null || row.getInstant("expires_at") == null || row.getString("status") == null) {
      return 0;
    }
    return (int)
        Math.max(0, Duration.between(clock.instant(), row.getInstant("expires_at")).toSeconds());
  }

  private static <T> Future<T> fail(String error, String description) {
    return Future.failedFuture(new OAuthException(400, error, description));
  }
}
