/**
 * The edge policies of the public API, as route handlers the HTTP edge mounts.
 *
 * <p>Flow of a request: {@link io.cadenza.edge.policy.SecurityHeaders} (headers added when the
 * response head is written, errors included) → {@link io.cadenza.edge.policy.Cors} (answers
 * preflights of configured origins) → authentication → {@link
 * io.cadenza.edge.policy.RateLimitHandler} (one Redis script call: token revoked? one token from
 * the user's and the client's bucket, or the caller address's on account endpoints; 401 or 429 +
 * Retry-After on refusal; allowed when Redis fails) → {@link io.cadenza.edge.policy.BodyLimits}
 * (bodies over the limit get 413) → the route.
 *
 * <p>Tests: {@code *Test} need nothing; {@code RateLimiterIT} starts its own redis-server.
 */
package io.cadenza.edge.policy;
