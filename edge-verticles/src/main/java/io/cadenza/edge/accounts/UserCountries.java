package io.cadenza.edge.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cadenza.config.cql.Cql;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * Users' account countries (ISO 3166-1 alpha-2), for the per-country charts of the listening log:
 * read from the user store once and kept for {@link #TTL} (a country rarely changes, and a play
 * logged under the old one for a few minutes is harmless).
 */
public final class UserCountries {

  /** How long a country read is reused. */
  public static final Duration TTL = Duration.ofMinutes(10);

  private final UserStore users;
  private final Cache<String, Optional<String>> countries =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TTL).build();

  private UserCountries(UserStore users) {
    this.users = users;
  }

  /** Prepares the user store's statements on {@code cql}. */
  public static Future<UserCountries> create(Cql cql) {
    return UserStore.create(cql).map(UserCountries::new);
  }

  /** The user's country; null when the user or the country is unknown. */
  public Future<String> of(String userId) {
    Optional<String> known = countries.getIfPresent(userId);
    if (known != null) {
      return Future.succeededFuture(known.orElse(null));
    }
    return users
        .byId(userId)
        .map(
            user -> {
              String country = user == null ? null : user.country();
              countries.put(userId, Optional.ofNullable(country));
              return country;
            });
  }
}
