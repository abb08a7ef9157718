package io.cadenza.edge.accounts;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.cadenza.config.CadenzaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Argon2id password hashes (PHC strings, salt included) through password4j. Hashing is deliberately
 * slow CPU work, so it runs on worker threads, never on an event loop. {@link #verifyOrDummy}
 * spends the same work when there is no user, so a login cannot tell "no such email" from "wrong
 * password" by its timing.
 */
public final class Passwords {

  private final Vertx vertx;
  private final Argon2Function argon2;
  private final String dummyHash;

  public Passwords(Vertx vertx, CadenzaSettings.PasswordHash cost) {
    this.vertx = vertx;
    this.argon2 =
        Argon2Function.getInstance(
            cost.memoryKib(), cost.iterations(), cost.parallelism(), 32, Argon2.ID);
    this.dummyHash = hashNow("cadenza-timing-equaliser");
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> hashNow(password), false);
  }

  /**
   * Checks a password against a stored hash, or against a dummy hash when {@code storedHash} is
   * null (and then answers false).
   */
  public Future<Boolean> verifyOrDummy(String password, String storedHash) {
    return vertx.executeBlocking(
        () -> {
          String hash = storedHash != null ? storedHash : dummyHash;
          boolean matches;
          try {
            matches = Password.check(password, hash).with(argon2);
          } catch (RuntimeException malformedStoredHash) {
            matches = false;
          }
          return matches && storedHash != null;
        },
        false);
  }

  private String hashNow(String password) {
    return Password.hash(password).addRandomSalt(16).with(argon2).getResult();
  }
}
