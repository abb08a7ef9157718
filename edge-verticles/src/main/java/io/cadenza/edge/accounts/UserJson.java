package io.cadenza.edge.accounts;

import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Spotify's user objects. */
public final class UserJson {

  private UserJson() {}

  /** The public user object. */
  public static JsonObject publicUser(User user, String baseUrl) {
    String href = baseUrl + "/v1/users/" + user.id();
    return new JsonObject()
        .put("display_name", user.displayName())
        .put("external_urls", new JsonObject().put("spotify", baseUrl + "/users/" + user.id()))
        .put("followers", new JsonObject().putNull("href").put("total", 0))
        .put("href", href)
        .put("id", user.id())
        .put("images", new JsonArray())
        .put("type", "user")
        .put("uri", Base62Id.uri("user", user.id()));
  }

  /**
   * The private user object, with e-mail only under {@code user-read-email} and country and product
   * only under {@code user-read-private}, as Spotify does; {@code principal} null shows all (the
   * user's own sign-up).
   */
  public static JsonObject privateUser(
      User user, String baseUrl, Principal principal, Instant now) {
    JsonObject json = publicUser(user, baseUrl);
    if (principal == null || principal.has(Scopes.USER_READ_EMAIL)) {
      json.put("email", user.email());
    }
    if (principal == null || principal.has(Scopes.USER_READ_PRIVATE)) {
      json.put("country", user.country())
          .put("product", user.effectiveProduct(now))
          .put(
              "explicit_content",
              new JsonObject().put("filter_enabled", false).put("filter_locked", false));
    }
    return json;
  }
}
