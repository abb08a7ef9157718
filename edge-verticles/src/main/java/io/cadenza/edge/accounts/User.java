package io.cadenza.edge.accounts;

import java.time.Instant;

/**
 * A Cadenza user. {@code product} is what was bought; {@link #effectiveProduct} what applies now.
 */
public record User(
    String id,
    String email,
    String displayName,
    String country,
    String product,
    Instant subscriptionExpiresAt,
    String passwordHash,
    Instant createdAt) {

  public static final String FREE = "free";
  public static final String PREMIUM = "premium";

  /** Premium while the subscription runs (no expiry = until changed), free otherwise. */
  public String effectiveProduct(Instant now) {
    boolean premium =
        PREMIUM.equals(product)
            && (subscriptionExpiresAt == null || subscriptionExpiresAt.isAfter(now));
    return premium ? PREMIUM : FREE;
  }
}
