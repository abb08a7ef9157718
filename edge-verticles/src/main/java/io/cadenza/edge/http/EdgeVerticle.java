package io.cadenza.edge.http;

import io.cadenza.analytics.ListeningLog;
import io.cadenza.catalog.api.CatalogReads;
import io.cadenza.catalog.search.SearchIndex;
import io.cadenza.catalog.search.SearchRequest;
import io.cadenza.catalog.search.SearchResult;
import io.cadenza.catalog.search.Suggestion;
import io.cadenza.catalog.search.feed.SearchService;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.error.NotFoundException;
import io.cadenza.config.error.RetriableException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.accounts.Accounts;
import io.cadenza.edge.accounts.UserCountries;
import io.cadenza.edge.auth.BearerAuth;
import io.cadenza.edge.auth.Principal;
import io.cadenza.edge.auth.Scopes;
import io.cadenza.edge.catalog.CatalogServices;
import io.cadenza.edge.connect.DeviceGateway;
import io.cadenza.edge.connect.DevicePlayer;
import io.cadenza.edge.connect.SessionFeeds;
import io.cadenza.edge.connect.SpeakerApi;
import io.cadenza.edge.health.ReadinessChecks;
import io.cadenza.edge.listening.ListeningApi;
import io.cadenza.edge.media.MediaServices;
import io.cadenza.edge.media.MediaUpload;
import io.cadenza.edge.node.Infrastructure;
import io.cadenza.edge.openapi.OpenApi;
import io.cadenza.edge.player.ListeningEvents;
import io.cadenza.edge.player.PlayerApi;
import io.cadenza.edge.player.PlayerCatalog;
import io.cadenza.edge.player.PlayerCommands;
import io.cadenza.edge.player.PlayerJson;
import io.cadenza.edge.policy.BodyLimits;
import io.cadenza.edge.policy.Cors;
import io.cadenza.edge.policy.RateLimitHandler;
import io.cadenza.edge.policy.RateLimiter;
import io.cadenza.edge.policy.SecurityHeaders;
import io.cadenza.media.delivery.MediaRoutes;
import io.cadenza.media.delivery.Tier;
import io.cadenza.session.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

/** The HTTP edge of a node. {@link #routes} reads as the contents page of the API. */
public final class EdgeVerticle extends VerticleBase {

  /** The largest audio file the ingest admin API takes. */
  private static final long MAX_UPLOAD_BYTES = 1L << 30;

  private final Infrastructure infra;
  private final MediaServices mediaServices;
  private final CatalogServices catalogServices;
  private final Sessions sessions;
  private HttpServer server;

  public EdgeVerticle(
      Infrastructure infra,
      MediaServices mediaServices,
      CatalogServices catalogServices,
      Sessions sessions) {
    this.infra = infra;
    this.mediaServices = mediaServices;
    this.catalogServices = catalogServices;
    this.sessions = sessions;
  }

  @Override
  public Future<?> start() {
    Future<OpenApi> openApi = OpenApi.load(vertx);
    EventLoopDelay.start(vertx, infra.metrics());
    RateLimiter limiter = RateLimiter.create(infra.redis(), infra.metrics());
    Future<Listening> listening = listening();
    return Future.all(
            Accounts.create(infra, Clock.systemUTC()), openApi, limiter.warmUp(), listening)
        .map(all -> all.<Accounts>resultAt(0))
        .compose(
            accounts -> {
              server =
                  vertx.createHttpServer(
                      new HttpServerOptions()
                          .setHost(infra.settings().http().host())
                          .setPort(infra.settings().http().port())
                          .setCompressionSupported(false)
                          // Requests and responses are handled on their event loop only (results of
                          // other threads come back through the verticle's context), so a
                          // connection needs no queue for writes from other threads: 4 KB less per
                          // connection, which a device socket keeps for its whole life.
                          .setStrictThreadMode(true)
                          // No WebSocket compression: a deflater and an inflater per socket cost
                          // far more memory (native, and two embedded channels on the heap) than
                          // they save on frames of a few KB.
                          .setPerMessageWebSocketCompressionSupported(false)
                          .setPerFrameWebSocketCompressionSupported(false)
                          .setMaxInitialLineLength(8192)
                          .setMaxHeaderSize(16384)
                          // Device sockets: a message over max-frame-bytes is read, then the socket
                          // closes with 1009 (DeviceSocket); one over this transport bound is not
                          // read at all, and the connection drops.
                          .setMaxWebSocketFrameSize(webSocketTransportLimit())
                          .setMaxWebSocketMessageSize(webSocketTransportLimit()));
              return server
                  .invalidRequestHandler(ErrorResponses::invalidRequest)
                  .requestHandler(
                      ErrorResponses.guarding(
                          routes(
                              accounts,
                              openApi.result(),
                              limiter,
                              mediaServices.routes(),
                              listening.result())))
                  .listen();
            });
  }

  private Router routes(
      Accounts accounts,
      OpenApi contract,
      RateLimiter limiter,
      MediaRoutes media,
      Listening listening) {
    var edge = infra.settings().edge();
    Handler<RoutingContext> perPrincipal = RateLimitHandler.perPrincipal(limiter, edge);
    Handler<RoutingContext> perAddress = RateLimitHandler.perAddress(limiter, edge);
    BodyHandler body = BodyLimits.create(edge);
    BearerAuth bearer = BearerAuth.required(accounts.accessTokens());
    var api = accounts.api();
    var token = accounts.tokenEndpoint();
    var signIn = accounts.signIn();

    Router router = Router.router(vertx);
    router.route().handler(RequestLog::handle);
    router.route().handler(SecurityHeaders.create());
    router.route().handler(Cors.create(edge));

    // Media delivery (Cadenza extension): the signed URL is the credential; no bearer, no body.
    // First, as the most requested route (a segment every few seconds per listener).
    router.get("/media/*").handler(media::serve);
    router.head("/media/*").handler(media::serve);

    // Probes.
    router.get("/health").handler(EdgeVerticle::alive);
    router
        .get("/ready")
        .handler(
            HealthCheckHandler.createWithHealthChecks(
                ReadinessChecks.create(vertx, infra, catalogServices.search())));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(infra.metrics()));
    router.get("/openapi.yaml").handler(contract.serveYaml());
    router.get("/openapi.json").handler(contract.serveJson());

    // Accounts (Cadenza extensions) and the OAuth 2.0 endpoints of the accounts service.
    router
        .post("/api/signup")
        .handler(body)
        .handler(perAddress)
        .handler(contract.validate("sign-up"))
        .respond(api::signUp);
    router
        .post("/api/login")
        .handler(body)
        .handler(perAddress)
        .handler(contract.validate("log-in"))
        .respond(api::logIn);
    router
        .post("/api/logout")
        .handler(body)
        .handler(BearerAuth.optional(accounts.accessTokens()))
        .handler(contract.validate("log-out"))
        .respond(ctx -> logOut(accounts, limiter, ctx));
    router.post("/api/token").handler(body).handler(perAddress).respond(token::token);
    router
        .post("/api/device/code")
        .handler(body)
        .handler(perAddress)
        .respond(token::deviceAuthorization);
    router
        .post("/api/device/approve")
        .handler(body)
        .handler(bearer)
        .handler(perPrincipal)
        .handler(Scopes.requireUser())
        .handler(contract.validate("approve-device"))
        .respond(signIn::approveDevice);
    router.get("/authorize").handler(SecurityHeaders.forHtml()).handler(signIn::authorizePage);
    router
        .post("/authorize")
        .handler(body)
        .handler(SecurityHeaders.forHtml())
        .handler(perAddress)
        .handler(signIn::authorizeDecision);
    router.get("/device").handler(SecurityHeaders.forHtml()).handler(signIn::devicePage);
    router
        .post("/device")
        .handler(body)
        .handler(SecurityHeaders.forHtml())
        .handler(perAddress)
        .handler(signIn::deviceDecision);

    // The player API, the device sockets and the speaker API share the player's pieces and one
    // feed of session changes per user. The device WebSocket gateway: its own authentication (a
    // header, or access_token for browsers, which cannot set one on a WebSocket), and per-socket
    // frame limits. The speaker API (Cadenza extension): bearer tokens, rate limited per user.
    Player player = player(media, listening);
    router.get("/v1/connect").handler(deviceGateway(accounts, player)::handle);
    player.speaker().mount(router, bearer, perPrincipal, body);

    // The Spotify-shaped Web API: every /v1 call carries a valid token and is rate limited.
    router.route("/v1/*").handler(bearer).handler(perPrincipal);
    router
        .get("/v1/me")
        .handler(Scopes.requireUser())
        .handler(contract.validate("get-current-users-profile"))
        .respond(api::me);
    router
        .get("/v1/users/:user_id")
        .handler(contract.validate("get-users-profile"))
        .respond(api::userById);
    router
        .get("/v1/tracks/:id/media")
        .handler(Scopes.requireUser())
        .handler(contract.validate("get-track-media"))
        .respond(ctx -> trackMedia(media, ctx));
    // The catalog: any token, client credentials included, as in Spotify.
    CatalogReads catalog = catalogServices.reads();
    router
        .get("/v1/tracks/:id")
        .handler(contract.validate("get-track"))
        .respond(ctx -> catalog.track(ctx.pathParam("id")));
    router
        .get("/v1/tracks")
        .handler(contract.validate("get-several-tracks"))
        .respond(ctx -> catalog.tracks(ctx.queryParams().get("ids")));
    router
        .get("/v1/albums/:id")
        .handler(contract.validate("get-an-album"))
        .respond(ctx -> catalog.album(ctx.pathParam("id")));
    router
        .get("/v1/albums")
        .handler(contract.validate("get-multiple-albums"))
        .respond(ctx -> catalog.albums(ctx.queryParams().get("ids")));
    router
        .get("/v1/albums/:id/tracks")
        .handler(contract.validate("get-an-albums-tracks"))
        .respond(ctx -> catalog.albumTracks(ctx.pathParam("id"), offset(ctx), limit(ctx)));
    router
        .get("/v1/artists/:id")
        .handler(contract.validate("get-an-artist"))
        .respond(ctx -> catalog.artist(ctx.pathParam("id")));
    router
        .get("/v1/artists")
        .handler(contract.validate("get-multiple-artists"))
        .respond(ctx -> catalog.artists(ctx.queryParams().get("ids")));
    router
        .get("/v1/artists/:id/albums")
        .handler(contract.validate("get-an-artists-albums"))
        .respond(
            ctx ->
                catalog.artistAlbums(
                    ctx.pathParam("id"),
                    ctx.queryParams().get("include_groups"),
                    offset(ctx),
                    limit(ctx)));
    router
        .get("/v1/artists/:id/top-tracks")
        .handler(contract.validate("get-an-artists-top-tracks"))
        .respond(ctx -> catalog.topTracks(ctx.pathParam("id")));
    router
        .get("/v1/browse/new-releases")
        .handler(contract.validate("get-new-releases"))
        .respond(ctx -> catalog.newReleases(offset(ctx), limit(ctx)));
    router
        .get("/v1/browse/genres/:genre/albums")
        .handler(contract.validate("get-genre-albums"))
        .respond(ctx -> catalog.genreAlbums(ctx.pathParam("genre"), offset(ctx), limit(ctx)));
    router
        .get("/v1/search/suggest")
        .handler(contract.validate("get-search-suggestions"))
        .respond(this::suggest);
    router.get("/v1/search").handler(contract.validate("search")).respond(this::search);
    // The player (issue 6): the user's playback session in Spotify's shapes.
    player.api().mount(router, body);
    // The listening log (issue 7): recently played, top items, offline plays and charts.
    player.listening().mount(router, contract, playsBody(listening));
    // The rest of the Spotify-shaped API: 501 after the checks the real endpoints will make.
    Planned.mount(router);

    // Administration (bearer: cadenza.auth.admin-token; off when it is empty).
    router.route("/admin/v1/*").handler(this::admin);
    router
        .put("/admin/v1/users/:user_id/product")
        .handler(body)
        .handler(contract.validate("set-user-product"))
        .respond(api::setProduct);
    router
        .post("/admin/v1/clients")
        .handler(body)
        .handler(contract.validate("register-client"))
        .respond(api::registerClient);
    // Ingest: the body is the audio file, streamed to disk (no body handler).
    MediaUpload upload = new MediaUpload(vertx, mediaServices.ingest(), MAX_UPLOAD_BYTES);
    router.put("/admin/v1/tracks/:track_id/media").handler(upload::handle);

    ErrorResponses.mount(router);
    return router;
  }

  /** The largest WebSocket frame or message read at all: 4 x max-frame-bytes, at least 64 KiB. */
  private int webSocketTransportLimit() {
    return Math.max(65_536, 4 * infra.settings().connect().maxFrameBytes());
  }

  /** The listening log's reads and the listeners' countries, prepared at start. */
  private record Listening(ListeningLog log, UserCountries countries) {}

  private Future<Listening> listening() {
    var settings = infra.settings();
    Future<ListeningLog> log =
        vertx.executeBlocking(
            () ->
                ListeningLog.create(
                    infra.cql(), settings.cql().keyspace(), settings.listening().countAfter()));
    Future<UserCountries> countries =
        UserCountries.create(new Cql(infra.cql(), settings.cql().keyspace()));
    return Future.all(log, countries).map(all -> new Listening(log.result(), countries.result()));
  }

  /** The body handler of the offline plays batch: room for cadenza.listening.max-batch plays. */
  private BodyHandler playsBody(Listening listening) {
    long limit =
        Math.max(
            infra.settings().edge().bodyLimitBytes(),
            ListeningApi.bodyLimit(infra.settings().listening().maxBatch()));
    return BodyHandler.create(false).setBodyLimit(limit).setHandleFileUploads(false);
  }

  /** The player's pieces of this verticle, on the node's sessions. */
  private record Player(
      DevicePlayer device,
      SessionFeeds feeds,
      PlayerApi api,
      SpeakerApi speaker,
      ListeningApi listening) {}

  private Player player(MediaRoutes media, Listening listening) {
    PlayerCatalog catalog = PlayerCatalog.of(catalogServices.repository(), catalogServices.reads());
    ListeningEvents events =
        new ListeningEvents(
            infra.kafkaProducer(), infra.settings().listening().topic(), listening.countries()::of);
    PlayerJson json = new PlayerJson(catalog, infra.settings().http().publicUrl());
    PlayerCommands commands = PlayerCommands.create(catalog);
    DevicePlayer device = DevicePlayer.of(json, commands, events::publish);
    SessionFeeds feeds = new SessionFeeds(vertx);
    Clock clock = Clock.systemUTC();
    SpeakerApi.StreamUrls streams =
        (trackId, principal) ->
            media
                .links(trackId, principal.userId(), Tier.ofProduct(principal.product()))
                .map(links -> links.getString("progressive"))
                .recover(
                    failure ->
                        failure instanceof NotFoundException
                            ? Future.succeededFuture()
                            : Future.failedFuture(failure));
    return new Player(
        device,
        feeds,
        new PlayerApi(vertx, sessions, json, commands, clock),
        new SpeakerApi(vertx, sessions, feeds, device, streams, clock),
        new ListeningApi(
            listening.log(),
            events,
            listening.countries(),
            catalog,
            catalogServices.reads(),
            json,
            infra.settings().http().publicUrl(),
            infra.settings().listening().maxBatch(),
            clock));
  }

  /** The device sockets of this verticle, on the node's sessions and the player's pieces. */
  private DeviceGateway deviceGateway(Accounts accounts, Player player) {
    return new DeviceGateway(
        vertx,
        accounts.accessTokens(),
        sessions,
        player.feeds(),
        player.device(),
        infra.settings().connect(),
        Clock.systemUTC(),
        infra.metrics());
  }

  /**
   * {@code GET /v1/search}: validated by {@link SearchRequest#parse} (Spotify's messages), searched
   * on a worker thread, rendered from the catalog in the hits' order.
   */
  private Future<JsonObject> search(RoutingContext ctx) {
    var params = ctx.queryParams();
    String q = params.get("q");
    SearchRequest request =
        SearchRequest.parse(
            q,
            String.join(",", params.getAll("type")),
            params.get("limit"),
            params.get("offset"),
            params.get("market"));
    SearchIndex index = searchable();
    long[] tookNanos = new long[1];
    return admitted(
        () ->
            vertx
                .executeBlocking(
                    () -> {
                      long started = System.nanoTime();
                      SearchResult result = index.search(request);
                      tookNanos[0] = System.nanoTime() - started;
                      return result;
                    },
                    false)
                .compose(
                    result -> {
                      // W3C Server-Timing: the index's own time, for browsers' dev tools and
                      // benchmarks.
                      ctx.response()
                          .putHeader(
                              "Server-Timing",
                              String.format(
                                  java.util.Locale.ROOT, "lucene;dur=%.3f", tookNanos[0] / 1e6));
                      return catalogServices.reads().search(q, request, result);
                    }));
  }

  /**
   * {@code GET /v1/search/suggest} (Cadenza extension): type-ahead over artist, album and track
   * names, {@code {"suggestions":[{"type","id","name","uri"}]}}, best first.
   */
  private Future<JsonObject> suggest(RoutingContext ctx) {
    String q = ctx.queryParams().get("q");
    String limitParam = ctx.queryParams().get("limit");
    int limit;
    try {
      limit = limitParam == null ? 10 : Integer.parseInt(limitParam.strip());
    } catch (NumberFormatException e) {
      throw new ValidationException("Invalid limit");
    }
    SearchIndex index = searchable();
    return admitted(
            () -> vertx.executeBlocking(() -> index.autocomplete(q == null ? "" : q, limit), false))
        .map(
            suggestions -> {
              JsonArray out = new JsonArray();
              for (Suggestion s : suggestions) {
                out.add(
                    new JsonObject()
                        .put("type", s.type().key())
                        .put("id", s.id())
                        .put("name", s.text())
                        .put("uri", Base62Id.uri(s.type().key(), s.id())));
              }
              return new JsonObject().put("suggestions", out);
            });
  }

  /**
   * Runs a search if fewer than {@code cadenza.search.max-in-flight} are running or waiting for a
   * worker on this node, else refuses it with 503 and Retry-After at once: a node past its capacity
   * answers the excess quickly instead of queueing it behind work its callers may have given up on.
   */
  private <T> Future<T> admitted(java.util.function.Supplier<Future<T>> work) {
    java.util.concurrent.Semaphore permits = catalogServices.searchPermits();
    if (!permits.tryAcquire()) {
      throw new RetriableException(ErrorResponses.OVERLOADED, 503, Duration.ofSeconds(1), null);
    }
    Future<T> running;
    try {
      running = work.get();
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
    return running.onComplete(x -> permits.release());
  }

  /** The node's search index once it is rebuilt; 503 with Retry-After while it is rebuilt. */
  private SearchIndex searchable() {
    SearchService search = catalogServices.search();
    if (!search.ready().succeeded()) {
      throw new RetriableException(
          "The search index is being rebuilt; try again shortly", 503, Duration.ofSeconds(5), null);
    }
    return search.index();
  }

  /** The {@code offset} query parameter (validated by the contract), 0 when absent. */
  private static int offset(RoutingContext ctx) {
    String offset = ctx.queryParams().get("offset");
    return offset == null ? 0 : Integer.parseInt(offset);
  }

  /** The {@code limit} query parameter (validated by the contract), 20 when absent. */
  private static int limit(RoutingContext ctx) {
    String limit = ctx.queryParams().get("limit");
    return limit == null ? 20 : Integer.parseInt(limit);
  }

  /** A track's signed media URLs for the token's user, at the tier of its product claim. */
  private static Future<JsonObject> trackMedia(MediaRoutes media, RoutingContext ctx) {
    String trackId = ctx.pathParam("id");
    if (!Base62Id.isValid(trackId)) {
      throw new ValidationException("Invalid track id");
    }
    Principal principal = Principal.of(ctx).orElseThrow();
    return media.links(trackId, principal.userId(), Tier.ofProduct(principal.product()));
  }

  /** Sign-out: the refresh token's family is revoked, and the access token when one is sent. */
  private static Future<Void> logOut(Accounts accounts, RateLimiter limiter, RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null
        || !(body.getValue("refresh_token") instanceof String refreshToken)
        || refreshToken.length() > 512) {
      throw new io.cadenza.config.error.ValidationException(
          "Invalid request body: refresh_token is required");
    }
    Future<Void> revokeAccess =
        Principal.of(ctx)
            .map(p -> limiter.revoke(p.tokenId(), p.expiresAt()))
            .orElse(Future.succeededFuture());
    return revokeAccess
        .compose(v -> accounts.tokenEndpoint().revokeFamilyOf(refreshToken))
        .map(
            v -> {
              ctx.response().setStatusCode(204);
              return null;
            });
  }

  private void admin(RoutingContext ctx) {
    var auth = infra.settings().auth();
    if (!auth.adminEnabled()) {
      ctx.fail(new HttpException(404, "Service not found"));
      return;
    }
    // The scheme in any case, as for user tokens; the secret compared in constant time.
    String header = ctx.request().getHeader("Authorization");
    String presented =
        header != null && header.strip().regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.strip().substring(7).strip()
            : "";
    if (!MessageDigest.isEqual(
        presented.getBytes(StandardCharsets.UTF_8),
        auth.adminToken().getBytes(StandardCharsets.UTF_8))) {
      ctx.fail(new HttpException(401, "Invalid admin token"));
      return;
    }
    ctx.next();
  }

  /** The port the server listens on (the configured one, or the one picked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private static void alive(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }
}
