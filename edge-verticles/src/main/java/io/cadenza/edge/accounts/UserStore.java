package io.cadenza.edge.accounts;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.error.ConflictException;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Locale;

/**
 * Users in ScyllaDB. An email belongs to one user: sign-up writes the user row, then claims the
 * email with a lightweight transaction ({@code IF NOT EXISTS}); when the claim loses, the row is
 * removed again. A crash between the two leaves only an unreachable row, never a taken email
 * without its user.
 */
public final class UserStore {

  private final Cql cql;
  private PreparedStatement insertUser;
  private PreparedStatement claimEmail;
  private PreparedStatement deleteUser;
  private PreparedStatement byId;
  private PreparedStatement idByEmail;
  private PreparedStatement setProduct;

  private UserStore(Cql cql) {
    this.cql = cql;
  }

  public static Future<UserStore> create(Cql cql) {
    UserStore store = new UserStore(cql);
    return Future.all(
            cql.prepare(
                    "INSERT INTO %s.users (id, email, display_name, country, product,"
                        + " subscription_expires_at, password_hash, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .onSuccess(p -> store.insertUser = p),
            cql.prepare(
                    "INSERT INTO %s.users_by_email (email, user_id) VALUES (?, ?) IF NOT EXISTS")
                .onSuccess(p -> store.claimEmail = p),
            cql.prepare("DELETE FROM %s.users WHERE id = ?").onSuccess(p -> store.deleteUser = p),
            cql.prepare(
                    "SELECT id, email, display_name, country, product, subscription_expires_at,"
                        + " password_hash, created_at FROM %s.users WHERE id = ?")
                .onSuccess(p -> store.byId = p),
            cql.prepare("SELECT user_id FROM %s.users_by_email WHERE email = ?")
                .onSuccess(p -> store.idByEmail = p),
            cql.prepare(
                    "UPDATE %s.users SET product = ?, subscription_expires_at = ? WHERE id = ?"
                        + " IF EXISTS")
                .onSuccess(p -> store.setProduct = p))
        .map(store);
  }

  /** Emails compare without case and surrounding space. */
  public static String normalise(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Stores a new user.
   *
   * @throws ConflictException (as the failed future) when the email is taken
   */
  public Future<User> create(User user) {
    return cql.execute(
            insertUser.bind(
                user.id(),
                user.email(),
                user.displayName(),
                user.country(),
                user.product(),
                user.subscriptionExpiresAt(),
                user.passwordHash(),
                user.createdAt()))
        .compose(written -> cql.applied(claimEmail.bind(user.email(), user.id())))
        .compose(
            claimed -> {
              if (claimed) {
                return Future.succeededFuture(user);
              }
              return cql.execute(deleteUser.bind(user.id()))
                  .transform(
                      ignored ->
                          Future.failedFuture(
                              new ConflictException("This email address is already registered")));
            });
  }

  public Future<User> byId(String id) {
    return cql.one(byId.bind(id)).map(row -> row == null ? null : toUser(row));
  }

  /** The user with this (normalised) email, or null. */
  public Future<User> byEmail(String email) {
    return cql.one(idByEmail.bind(email))
        .compose(row -> row == null ? Future.succeededFuture(null) : byId(row.getString(0)));
  }

  /** Sets the product; false when there is no such user. */
  public Future<Boolean> setProduct(String id, String product, Instant expiresAt) {
    return cql.applied(setProduct.bind(product, expiresAt, id));
  }

  private static User toUser(Row row) {
    return new User(
        row.getString("id"),
        row.getString("email"),
        row.getString("display_name"),
        row.getString("country"),
        row.getString("product"),
        row.getInstant("subscription_expires_at"),
        row.getString("password_hash"),
        row.getInstant("created_at"));
  }
}
