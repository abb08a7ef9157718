package io.cadenza.edge.it;

import io.cadenza.playback.PlaybackState;
import java.util.concurrent.TimeUnit;

/** A new user signed in with the given scopes, and their playback session as the node has it. */
record SessionUser(String id, String token) {

  static SessionUser signUp(Api api, String scopes) {
    Api.Account account = api.signUp();
    return new SessionUser(account.id(), api.logIn(account, scopes).accessToken());
  }

  /** The user's session state, read from the node's sessions (its last durable state). */
  PlaybackState state(SharedNode.Running node) throws Exception {
    return node.node().sessions().state(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
