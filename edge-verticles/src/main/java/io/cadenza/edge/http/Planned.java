package io.cadenza.edge.http;

import static io.cadenza.edge.auth.Scopes.PLAYLIST_MODIFY_PRIVATE;
import static io.cadenza.edge.auth.Scopes.PLAYLIST_MODIFY_PUBLIC;
import static io.cadenza.edge.auth.Scopes.PLAYLIST_READ_COLLABORATIVE;
import static io.cadenza.edge.auth.Scopes.PLAYLIST_READ_PRIVATE;
import static io.cadenza.edge.auth.Scopes.USER_FOLLOW_MODIFY;
import static io.cadenza.edge.auth.Scopes.USER_FOLLOW_READ;
import static io.cadenza.edge.auth.Scopes.USER_LIBRARY_MODIFY;
import static io.cadenza.edge.auth.Scopes.USER_LIBRARY_READ;

import io.cadenza.edge.auth.Scopes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;

/**
 * The Spotify Web API endpoints Cadenza will offer but has not built yet. Each answers 501 {@code
 * Not implemented yet} — after the same checks the real endpoint will make (a valid token, a user's
 * token and one of Spotify's scopes where Spotify asks for them), so a client learns about a
 * missing scope now, not when the feature lands. An entry leaves this table in the change that
 * builds it.
 */
final class Planned {

  /**
   * One endpoint: the method, the Vert.x route path under {@code /v1}, and the scopes of which the
   * token needs one (empty: any token, client credentials included).
   */
  record Endpoint(HttpMethod method, String path, List<String> anyScope) {}

  static final String MESSAGE = "Not implemented yet";

  private static final List<String> NONE = List.of();

  static final List<Endpoint> ENDPOINTS =
      List.of(
          // Playlists, library and follows.
          get("/v1/me/playlists", List.of(PLAYLIST_READ_PRIVATE, PLAYLIST_READ_COLLABORATIVE)),
          post("/v1/me/playlists", List.of(PLAYLIST_MODIFY_PUBLIC, PLAYLIST_MODIFY_PRIVATE)),
          get("/v1/users/:user_id/playlists", NONE),
          get("/v1/playlists/:playlist_id", NONE),
          get("/v1/playlists/:playlist_id/tracks", NONE),
          post(
              "/v1/playlists/:playlist_id/tracks",
              List.of(PLAYLIST_MODIFY_PUBLIC, PLAYLIST_MODIFY_PRIVATE)),
          get("/v1/me/tracks", List.of(USER_LIBRARY_READ)),
          put("/v1/me/tracks", List.of(USER_LIBRARY_MODIFY)),
          delete("/v1/me/tracks", List.of(USER_LIBRARY_MODIFY)),
          get("/v1/me/tracks/contains", List.of(USER_LIBRARY_READ)),
          get("/v1/me/albums", List.of(USER_LIBRARY_READ)),
          put("/v1/me/albums", List.of(USER_LIBRARY_MODIFY)),
          delete("/v1/me/albums", List.of(USER_LIBRARY_MODIFY)),
          get("/v1/me/following", List.of(USER_FOLLOW_READ)),
          put("/v1/me/following", List.of(USER_FOLLOW_MODIFY)),
          delete("/v1/me/following", List.of(USER_FOLLOW_MODIFY)),
          get("/v1/me/following/contains", List.of(USER_FOLLOW_READ)));

  private Planned() {}

  /** Mounts the table; call after the {@code /v1/*} authentication route. */
  static void mount(Router router) {
    for (Endpoint endpoint : ENDPOINTS) {
      var route = router.route(endpoint.method(), endpoint.path());
      if (!endpoint.anyScope().isEmpty()) {
        route.handler(Scopes.requireAny(endpoint.anyScope()));
      }
      route.handler(ctx -> ctx.fail(new HttpException(501, MESSAGE)));
    }
  }

  private static Endpoint get(String path, List<String> scopes) {
    return new Endpoint(HttpMethod.GET, path, scopes);
  }

  private static Endpoint put(String path, List<String> scopes) {
    return new Endpoint(HttpMethod.PUT, path, scopes);
  }

  private static Endpoint post(String path, List<String> scopes) {
    return new Endpoint(HttpMethod.POST, path, scopes);
  }

  private static Endpoint delete(String path, List<String> scopes) {
    return new Endpoint(HttpMethod.DELETE, path, scopes);
  }
}
