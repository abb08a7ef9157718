package io.cadenza.edge.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The scopes Cadenza grants (Spotify's names) and the per-route check. */
public final class Scopes {

  public static final String USER_READ_PLAYBACK_STATE = "user-read-playback-state";
  public static final String USER_MODIFY_PLAYBACK_STATE = "user-modify-playback-state";
  public static final String USER_READ_RECENTLY_PLAYED = "user-read-recently-played";
  public static final String USER_TOP_READ = "user-top-read";
  public static final String PLAYLIST_READ_PRIVATE = "playlist-read-private";
  public static final String PLAYLIST_MODIFY_PRIVATE = "playlist-modify-private";
  public static final String PLAYLIST_MODIFY_PUBLIC = "playlist-modify-public";
  public static final String USER_LIBRARY_READ = "user-library-read";
  public static final String USER_LIBRARY_MODIFY = "user-library-modify";
  public static final String USER_FOLLOW_READ = "user-follow-read";
  public static final String USER_FOLLOW_MODIFY = "user-follow-modify";
  public static final String USER_READ_PRIVATE = "user-read-private";
  public static final String USER_READ_EMAIL = "user-read-email";
  public static final String USER_READ_CURRENTLY_PLAYING = "user-read-currently-playing";
  public static final String USER_READ_PLAYBACK_POSITION = "user-read-playback-position";
  public static final String PLAYLIST_READ_COLLABORATIVE = "playlist-read-collaborative";
  public static final String APP_REMOTE_CONTROL = "app-remote-control";
  public static final String STREAMING = "streaming";
  public static final String UGC_IMAGE_UPLOAD = "ugc-image-upload";

  /**
   * Every scope Spotify defines, in a stable order, so the scope lists real client libraries send
   * are accepted; the ones no Cadenza endpoint checks yet are granted and carried in the token.
   */
  public static final List<String> ALL =
      List.of(
          USER_READ_PLAYBACK_STATE,
          USER_MODIFY_PLAYBACK_STATE,
          USER_READ_RECENTLY_PLAYED,
          USER_TOP_READ,
          PLAYLIST_READ_PRIVATE,
          PLAYLIST_MODIFY_PRIVATE,
          PLAYLIST_MODIFY_PUBLIC,
          USER_LIBRARY_READ,
          USER_LIBRARY_MODIFY,
          USER_FOLLOW_READ,
          USER_FOLLOW_MODIFY,
          USER_READ_PRIVATE,
          USER_READ_EMAIL,
          USER_READ_CURRENTLY_PLAYING,
          USER_READ_PLAYBACK_POSITION,
          PLAYLIST_READ_COLLABORATIVE,
          APP_REMOTE_CONTROL,
          STREAMING,
          UGC_IMAGE_UPLOAD);

  private Scopes() {}

  /**
   * Parses a space-separated scope list (commas and repeated spaces tolerated, as some clients send
   * them).
   *
   * @return the scopes, or empty when one of them is unknown
   */
  public static Optional<Set<String>> parse(String text) {
    Set<String> scopes = new LinkedHashSet<>();
    if (text == null || text.isBlank()) {
      return Optional.of(scopes);
    }
    for (String scope : text.strip().split("[\\s,]+")) {
      if (!ALL.contains(scope)) {
        return Optional.empty();
      }
      scopes.add(scope);
    }
    return Optional.of(scopes);
  }

  /** A scope list as a token response carries it: space-separated, in the order of {@link #ALL}. */
  public static String format(Collection<String> scopes) {
    return ALL.stream().filter(scopes::contains).collect(Collectors.joining(" "));
  }

  /** A route guard: the request's token must carry a user (not client credentials only). */
  public static Handler<RoutingContext> requireUser() {
    return ctx -> {
      Principal principal = ctx.get(Principal.KEY);
      if (principal == null || !principal.hasUser()) {
        ctx.fail(new HttpException(403, "This endpoint needs a user's token"));
        return;
      }
      ctx.next();
    };
  }

  /**
   * A route guard: the request's token must carry a user and at least one of these scopes (as
   * Spotify lists alternatives, e.g. {@code user-read-currently-playing} or {@code
   * user-read-playback-state}); 403 {@code Insufficient client scope} otherwise.
   */
  public static Handler<RoutingContext> requireAny(Collection<String> scopes) {
    List<String> accepted = List.copyOf(scopes);
    return ctx -> {
      Principal principal = ctx.get(Principal.KEY);
      if (principal == null || !principal.hasUser()) {
        ctx.fail(new HttpException(403, "This endpoint needs a user's token"));
        return;
      }
      if (accepted.stream().noneMatch(principal::has)) {
        ctx.fail(new HttpException(403, "Insufficient client scope"));
        return;
      }
      ctx.next();
    };
  }

  /** A route guard: the request's token must carry a user and every one of these scopes. */
  public static Handler<RoutingContext> require(String... scopes) {
    List<String> needed = Arrays.asList(scopes);
    return ctx -> {
      Principal principal = ctx.get(Principal.KEY);
      if (principal == null || !principal.hasUser()) {
        ctx.fail(new HttpException(403, "This endpoint needs a user's token"));
        return;
      }
      if (!principal.scopes().containsAll(needed)) {
        ctx.fail(new HttpException(403, "Insufficient client scope"));
        return;
      }
      ctx.next();
    };
  }
}
