package io.cadenza.edge.oauth;

import java.util.Set;

/** What a redeemed code or refresh token entitles: tokens for this user through this client. */
public record Grant(String userId, String clientId, Set<String> scopes, String familyId) {}
