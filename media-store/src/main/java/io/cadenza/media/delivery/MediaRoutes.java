package io.cadenza.media.delivery;

import io.cadenza.config.error.NotFoundException;
import io.cadenza.media.MediaRecord;
import io.cadenza.media.MediaRepository;
import io.cadenza.media.Rendition;
import io.cadenza.media.delivery.MediaUrls.TrackKey;
import io.cadenza.media.store.MediaKeys;
import io.cadenza.media.store.ObjectStore;
import io.cadenza.media.store.StoredObject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Media delivery: {@link #serve} answers {@code GET}/{@code HEAD /media/<token>/<store key>} (the
 * signed URL is the credential; no bearer token), {@link #links} mints a track's signed URLs for a
 * user.
 *
 * <p>A request is checked in this order: the key's shape ({@link MediaKeys#isValid}, else 400), the
 * token (genuine, for this track's folder, not expired, else 403), the file (one delivery serves,
 * else 404), the tier (else 403). Only then is the store read. The master playlist is generated for
 * the token's tier; every other file is sent from the store's local file with RFC 9110 ranges (see
 * {@link ByteRange}), a strong ETag and {@code If-None-Match}. What the store said about a file,
 * and the bytes of small ones, come from a {@link DeliveryCache}.
 */
public final class MediaRoutes {

  static final String PLAYLIST_CACHE = "private, max-age=60";
  static final String IMMUTABLE_CACHE = "public, max-age=31536000, immutable";

  private final DeliveryCache files;
  private final MediaRepository media;
  private final MediaUrls urls;
  private final String publicUrl;

  /**
   * @param publicUrl the node's public base URL (no trailing slash) for absolute URLs in {@link
   *     #links}
   * @param memory bytes of small files kept in memory (0: every file is sent from disk)
   * @param memoryMaxFile the largest file kept in memory
   */
  public MediaRoutes(
      Vertx vertx,
      ObjectStore store,
      MediaRepository media,
      MediaUrls urls,
      String publicUrl,
      long memory,
      long memoryMaxFile) {
    this.files = new DeliveryCache(vertx, store, memory, memoryMaxFile);
    this.media = media;
    this.urls = urls;
    this.publicUrl = publicUrl;
  }

  /** The handler of {@code /media/*}. */
  public void serve(RoutingContext ctx) {
    // The raw path: what the router normalised is not what is checked.
    String path = ctx.request().path();
    String rest =
        path.startsWith(MediaUrls.PREFIX) ? path.substring(MediaUrls.PREFIX.length()) : "";
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      ctx.fail(new HttpException(404, "Not found"));
      return;
    }
    String token = rest.substring(0, slash);
    String key = rest.substring(slash + 1);
    if (!MediaKeys.isValid(key)) {
      ctx.fail(new HttpException(400, "Invalid media key"));
      return;
    }
    Optional<TrackKey> track = TrackKey.of(key);
    if (track.isEmpty()) {
      ctx.fail(new HttpException(404, "Not found"));
      return;
    }
    MediaUrls.Verdict verdict = urls.verify(token, track.get());
    if (verdict instanceof MediaUrls.Verdict.Expired) {
      ctx.fail(new HttpException(403, "Media URL expired"));
      return;
    }
    if (!(verdict instanceof MediaUrls.Verdict.Valid valid)) {
      ctx.fail(new HttpException(403, "Invalid media URL"));
      return;
    }
    MediaUrls.Grant grant = valid.grant();
    String inTrack = track.get().inTrack();
    if (!Tier.fileOf(inTrack)) {
      ctx.fail(new HttpException(404, "Not found"));
      return;
    }
    if (!grant.tier().allows(inTrack)) {
      ctx.fail(new HttpException(403, "This rendition needs Premium"));
      return;
    }
    if (inTrack.equals("hls/master.m3u8")) {
      master(ctx, track.get().contentHash(), grant.tier());
    } else {
      file(ctx, key);
    }
  }

  private void master(RoutingContext ctx, String contentHash, Tier tier) {
    media
        .trackIdByContentHash(contentHash)
        .compose(
            trackId ->
                trackId.isPresent()
                    ? media.byTrackId(trackId.get())
                    : Future.succeededFuture(Optional.<MediaRecord>empty()))
        .onFailure(ctx::fail)
        .onSuccess(
            record -> {
              if (record.isEmpty() || !record.get().contentHash().equals(contentHash)) {
                ctx.fail(new HttpException(404, "Not found"));
                return;
              }
              String body = MasterPlaylist.of(record.get(), tier);
              String etag = "\"" + sha256(body).substring(0, 32) + "\"";
              HttpServerResponse response =
                  ctx.response()
                      .putHeader(HttpHeaders.CONTENT_TYPE, contentType("master.m3u8"))
                      .putHeader(HttpHeaders.CACHE_CONTROL, PLAYLIST_CACHE)
                      .putHeader(HttpHeaders.ETAG, etag);
              if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
                response.setStatusCode(304).end();
              } else {
                response.end(body);
              }
            });
  }

  private void file(RoutingContext ctx, String key) {
    files
        .find(key)
        .onFailure(ctx::fail)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                ctx.fail(new HttpException(404, "Not found"));
                return;
              }
              send(ctx, found.get());
            });
  }

  private void send(RoutingContext ctx, DeliveryCache.Entry file) {
    StoredObject object = file.object();
    HttpServerResponse response = ctx.response();
    String etag = object.etag();
    if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      headers(response, object).setStatusCode(304).end();
      return;
    }
    // If-Range (RFC 9110 §13.1.5): the range only applies to the representation it names.
    String ifRange = ctx.request().getHeader("If-Range");
    ByteRange range =
        ifRange == null || ifRange.strip().equals(etag)
            ? ByteRange.of(ctx.request().getHeader("Range"), object.size())
            : new ByteRange.Full();
    if (range instanceof ByteRange.Unsatisfiable) {
      response.putHeader(
          HttpHeaders.CONTENT_RANGE, ByteRange.Unsatisfiable.contentRange(object.size()));
      ctx.fail(new HttpException(416, "Range not satisfiable"));
    } else if (range instanceof ByteRange.Part part) {
      headers(response, object)
          .setStatusCode(206)
          .putHeader(HttpHeaders.CONTENT_RANGE, part.contentRange(object.size()));
      body(ctx, file, part.first(), part.length());
    } else {
      headers(response, object);
      body(ctx, file, 0, object.size());
    }
  }

  /**
   * The bytes, from memory when the cache keeps them, else from the file; for HEAD only their
   * length (sendFile would send them on HEAD too).
   */
  private void body(RoutingContext ctx, DeliveryCache.Entry file, long offset, long length) {
    HttpServerResponse response = ctx.response();
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length)).end();
      return;
    }
    Buffer bytes = file.bytes();
    if (bytes != null) {
      // Checked against the same size when the range was parsed, so these ints are in bounds.
      response.end(
          offset == 0 && length == bytes.length()
              ? bytes
              : bytes.slice((int) offset, (int) (offset + length)));
      return;
    }
    response
        .sendFile(file.file().toString(), offset, length)
        .onFailure(
            failure -> {
              files.forget(file.object().key());
              failed(ctx, failure);
            });
  }

  private static HttpServerResponse headers(HttpServerResponse response, StoredObject object) {
    return response
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType(object.key()))
        .putHeader(
            HttpHeaders.CACHE_CONTROL,
            object.key().endsWith(".m3u8") ? PLAYLIST_CACHE : IMMUTABLE_CACHE)
        .putHeader(HttpHeaders.ETAG, object.etag())
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
  }

  private static void failed(RoutingContext ctx, Throwable failure) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    // The error answer must not inherit the file's year-long caching or its validators.
    ctx.response()
        .headers()
        .remove(HttpHeaders.CACHE_CONTROL)
        .remove(HttpHeaders.ETAG)
        .remove(HttpHeaders.CONTENT_RANGE)
        .remove(HttpHeaders.ACCEPT_RANGES)
        .remove(HttpHeaders.CONTENT_TYPE)
        .remove(HttpHeaders.CONTENT_LENGTH);
    ctx.fail(vanished(failure) ? new HttpException(404, "Not found") : failure);
  }

  /** Whether a send failed because the file went away after it was found (a replaced object). */
  private static boolean vanished(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.io.FileNotFoundException
          || t instanceof java.nio.file.NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  /** The signed URLs and playback facts of a track for a user; 404 when it has no media. */
  public Future<JsonObject> links(String trackId, String userId, Tier tier) {
    return media
        .byTrackId(trackId)
        .map(
            found -> {
              MediaRecord record =
                  found.orElseThrow(() -> new NotFoundException("Track has no media"));
              Instant expiresAt = urls.expiry();
              String hash = record.contentHash();
              String hls =
                  MasterPlaylist.variants(record, tier).isEmpty()
                      ? null
                      : url(MediaKeys.master(hash), userId, tier, expiresAt);
              return new JsonObject()
                  .put("track_id", trackId)
                  .put("hls", hls)
                  .put("progressive", file(record, "m4a", userId, tier, expiresAt))
                  .put("flac", file(record, "flac", userId, tier, expiresAt))
                  .put("duration_ms", record.durationMs())
                  .put(
                      "loudness",
                      new JsonObject()
                          .put("integrated_lufs", record.loudnessLufs())
                          .put("gain_db", record.gainDb()))
                  .put("encoder_delay_samples", record.encoderDelaySamples())
                  .put("padding_samples", record.paddingSamples())
                  .put("tier", tier.claim())
                  .put("expires_at", expiresAt.toString());
            });
  }

  private String file(
      MediaRecord record, String name, String userId, Tier tier, Instant expiresAt) {
    String folder = MediaKeys.track(record.contentHash());
    return record.renditions().stream()
        .filter(r -> r.kind() == Rendition.Kind.FILE && r.name().equals(name))
        .filter(r -> tier.plays(r.premium()))
        .filter(r -> r.key().startsWith(folder) && tier.allows(r.key().substring(folder.length())))
        .findFirst()
        .map(r -> url(r.key(), userId, tier, expiresAt))
        .orElse(null);
  }

  private String url(String key, String userId, Tier tier, Instant expiresAt) {
    return publicUrl + urls.sign(key, userId, tier, expiresAt);
  }

  /** {@code If-None-Match} (RFC 9110 §13.1.2): {@code *} or a list, compared weakly. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    String ours = etag.startsWith("W/") ? etag.substring(2) : etag;
    for (String tag : ifNoneMatch.split(",", 64)) {
      String theirs = tag.strip();
      if (theirs.equals("*")) {
        return true;
      }
      if ((theirs.startsWith("W/") ? theirs.substring(2) : theirs).equals(ours)) {
        return true;
      }
    }
    return false;
  }

  static String contentType(String key) {
    if (key.endsWith(".m3u8")) {
      return "application/vnd.apple.mpegurl";
    }
    if (key.endsWith(".flac")) {
      return "audio/flac";
    }
    return "audio/mp4"; // init.mp4, .m4s segments and track.m4a: audio-only MP4
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
