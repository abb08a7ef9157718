package io.cadenza.edge.oauth;

import java.util.Set;

/**
 * An app registered to use Cadenza's accounts. Confidential clients hold a secret (stored hashed);
 * public ones (mobile, browser, speaker apps) prove themselves with PKCE instead.
 */
public record Client(
    String clientId,
    String name,
    String secretHash,
    Set<String> redirectUris,
    boolean confidential) {}
