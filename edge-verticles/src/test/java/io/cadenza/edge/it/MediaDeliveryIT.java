package io.cadenza.edge.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.id.Base62Id;
import io.cadenza.edge.it.Api.Account;
import io.cadenza.media.CqlMediaRepository;
import io.cadenza.media.MediaRecord;
import io.cadenza.media.Rendition;
import io.cadenza.media.Rendition.Kind;
import io.cadenza.media.delivery.MediaUrls;
import io.cadenza.media.delivery.Tier;
import io.cadenza.media.store.MediaKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Media delivery against a real node: a ten-second ladder made with ffmpeg in the node's store, its
 * record in the node's keyspace, then what free and premium users get, RFC 9110 ranges, ETags,
 * signed-URL tampering, tiers, traversal attempts. No answer of the suite may be a 5xx.
 */
@ExtendWith(SharedNode.class)
class MediaDeliveryIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private static final String SECRET = "this must never be served " + Base62Id.random();
  private static final Queue<String> ANSWERS = new ConcurrentLinkedQueue<>();

  private static Api api;
  private static CadenzaSettings settings;
  private static String hash;
  private static String trackId;
  private static String freeToken;
  private static String premiumToken;
  private static Account freeUser;

  @BeforeAll
  static void ingestATrackAndSignUsersIn() throws Exception {
    SharedNode.Running node = SharedNode.running();
    api = new Api(node.url());
    settings = node.settings();
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    hash = HexFormat.of().formatHex(random);
    trackId = Base62Id.random();
    Path store = settings.media().storeDir();
    Path folder = store.resolve(MediaKeys.track(hash));
    List<Rendition> renditions = new ArrayList<>();
    for (int kbps : new int[] {64, 128, 256}) {
      String name = "aac-" + kbps;
      Path dir = folder.resolve("hls").resolve(name);
      ffmpeg(
          dir,
          "-c:a",
          "aac",
          "-b:a",
          kbps + "k",
          "-f",
          "hls",
          "-hls_time",
          "4",
          "-hls_playlist_type",
          "vod",
          "-hls_segment_type",
          "fmp4",
          "-hls_fmp4_init_filename",
          "init.mp4",
          "-start_number",
          "1",
          "-hls_segment_filename",
          "seg-%05d.m4s",
          "playlist.m3u8");
      renditions.add(
          new Rendition(
              name,
              Kind.HLS,
              "mp4a.40.2",
              kbps * 1100,
              size(dir),
              MediaKeys.variantPlaylist(hash, name),
              kbps > 128));
    }
    ffmpeg(folder, "-c:a", "flac", "track.flac");
    ffmpeg(folder, "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "track.m4a");
    renditions.add(
        new Rendition(
            "flac",
            Kind.FILE,
            "flac",
            700_000,
            Files.size(folder.resolve("track.flac")),
            MediaKeys.flac(hash),
            true));
    renditions.add(
        new Rendition(
            "m4a",
            Kind.FILE,
            "mp4a.40.2",
            140_000,
            Files.size(folder.resolve("track.m4a")),
            MediaKeys.m4a(hash),
            false));
    MediaRecord record =
        new MediaRecord(
            trackId, hash, "wav", 10_000, -17.5, 3.5, 1024, 512, renditions, Instant.now());
    Cql cql = new Cql(node.node().infrastructure().cql(), settings.cql().keyspace());
    CqlMediaRepository.create(cql)
        .compose(repository -> repository.save(record))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    // Something beside the store that no URL may reach.
    Files.writeString(store.resolveSibling("it-secret.txt"), SECRET);
    Files.writeString(folder.resolve("secret.txt"), SECRET);

    freeUser = api.signUp();
    freeToken = api.logIn(freeUser, null).accessToken();
    Account premium = api.signUp();
    Api.Response product =
        api.admin(
            "PUT",
            "/admin/v1/users/" + premium.id() + "/product",
            new JsonObject().put("product", "premium"));
    assertThat(product.status()).as(product.body()).isEqualTo(200);
    premiumToken = api.logIn(premium, null).accessToken();
  }

  @AfterAll
  static void noAnswerWasAServerError() {
    assertThat(ANSWERS).isNotEmpty().noneMatch(answer -> answer.startsWith("5"));
  }

  private static void ffmpeg(Path dir, String... output) throws Exception {
    Files.createDirectories(dir);
    List<String> command =
        new ArrayList<>(
            List.of(
                settings.media().ffmpeg(),
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=44100:duration=10"));
    command.addAll(Arrays.asList(output));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(log).isZero();
  }

  private static long size(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /** A GET (or another method) of a path on the node, bytes kept; headers alternate name, value. */
  private static HttpResponse<byte[]> fetch(String method, String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      ANSWERS.add(response.statusCode() + " " + method + " " + path);
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<byte[]> get(String path, String... headers) {
    return fetch("GET", path, headers);
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private static JsonObject error(HttpResponse<byte[]> response) {
    assertThat(header(response, "Content-Type")).startsWith("application/json");
    JsonObject error = new JsonObject(new String(response.body(), UTF_8)).getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(response.statusCode());
    return error;
  }

  private static JsonObject links(String bearer) {
    Api.Response response = api.get("/v1/tracks/" + trackId + "/media", bearer);
    ANSWERS.add(response.status() + " GET media links");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  /** The path of one of the node's absolute URLs. */
  private static String path(String url) {
    assertThat(url).startsWith(settings.http().publicUrl() + "/media/");
    return url.substring(settings.http().publicUrl().length());
  }

  /** The signed path of a file of the track, under the token of a signed master URL. */
  private static String sibling(String masterPath, String inTrack) {
    return masterPath.replace("hls/master.m3u8", inTrack);
  }

  private static String freeMaster() {
    return path(links(freeToken).getString("hls"));
  }

  private static String premiumMaster() {
    return path(links(premiumToken).getString("hls"));
  }

  private static byte[] stored(String inTrack) throws IOException {
    return Files.readAllBytes(
        settings.media().storeDir().resolve(MediaKeys.track(hash)).resolve(inTrack));
  }

  // The URLs.

  @Test
  void freeUserGetsHlsAndProgressiveButNoFlac() {
    JsonObject links = links(freeToken);
    assertThat(links.getString("track_id")).isEqualTo(trackId);
    assertThat(links.getString("hls")).endsWith("/" + MediaKeys.master(hash));
    assertThat(links.getString("progressive")).endsWith("/" + MediaKeys.m4a(hash));
    assertThat(links.getValue("flac")).isNull();
    assertThat(links.getString("tier")).isEqualTo("free");
    assertThat(links.getLong("duration_ms")).isEqualTo(10_000);
    assertThat(links.getJsonObject("loudness").getDouble("integrated_lufs")).isEqualTo(-17.5);
    assertThat(links.getJsonObject("loudness").getDouble("gain_db")).isEqualTo(3.5);
    assertThat(links.getInteger("encoder_delay_samples")).isEqualTo(1024);
    assertThat(links.getInteger("padding_samples")).isEqualTo(512);
    assertThat(Instant.parse(links.getString("expires_at")))
        .isBetween(Instant.now(), Instant.now().plus(settings.media().urlTtl()).plusSeconds(5));
  }

  @Test
  void premiumUserAlsoGetsFlac() throws IOException {
    JsonObject links = links(premiumToken);
    assertThat(links.getString("tier")).isEqualTo("premium");
    HttpResponse<byte[]> flac = get(path(links.getString("flac")));
    assertThat(flac.statusCode()).isEqualTo(200);
    assertThat(header(flac, "Content-Type")).isEqualTo("audio/flac");
    assertThat(flac.body()).isEqualTo(stored("track.flac"));
  }

  @Test
  void trackWithoutMediaIsNotFound() {
    Api.Response response = api.get("/v1/tracks/" + Base62Id.random() + "/media", freeToken);
    ANSWERS.add(response.status() + " GET unknown track");
    assertThat(response.status()).isEqualTo(404);
    response.errorMessage();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "short",
        "0123456789012345678901-",
        "abcdefghij%20klmnopqrstu",
        "AAAAAAAAAAAAAAAAAAAAAAA"
      })
  void malformedTrackIdIsABadRequest(String id) {
    Api.Response response = api.get("/v1/tracks/" + id + "/media", freeToken);
    ANSWERS.add(response.status() + " GET bad id " + id);
    assertThat(response.status()).isEqualTo(400);
    response.errorMessage();
  }

  @Test
  void linksNeedABearerToken() {
    Api.Response response = api.get("/v1/tracks/" + trackId + "/media", null);
    ANSWERS.add(response.status() + " GET links without token");
    assertThat(response.status()).isEqualTo(401);
  }

  // Master playlists per tier, and a real player.

  @Test
  void freeMasterListsOnly64kAnd128k() {
    HttpResponse<byte[]> master = get(freeMaster(), "Accept-Encoding", "gzip");
    assertThat(master.statusCode()).isEqualTo(200);
    assertThat(header(master, "Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
    assertThat(header(master, "Cache-Control")).startsWith("private");
    assertThat(header(master, "Content-Encoding")).isNull();
    String body = new String(master.body(), UTF_8);
    assertThat(body)
        .startsWith("#EXTM3U\n")
        .contains("CODECS=\"mp4a.40.2\"")
        .contains("aac-64/playlist.m3u8")
        .contains("aac-128/playlist.m3u8")
        .doesNotContain("aac-256");
  }

  @Test
  void premiumMasterAlsoLists256k() {
    String body = new String(get(premiumMaster()).body(), UTF_8);
    assertThat(body)
        .contains("aac-64/playlist.m3u8")
        .contains("aac-128/playlist.m3u8")
        .contains("aac-256/playlist.m3u8");
  }

  @Test
  void playerReadsTheSignedMasterOverHttp() throws Exception {
    String url = links(freeToken).getString("hls");
    Process ffprobe =
        new ProcessBuilder(
                settings.media().ffprobe(),
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "default=noprint_wrappers=1:nokey=1",
                url)
            .redirectErrorStream(true)
            .start();
    String out = new String(ffprobe.getInputStream().readAllBytes(), UTF_8).strip();
    assertThat(ffprobe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(ffprobe.exitValue()).as(out).isZero();
    double seconds = Double.parseDouble(out.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(seconds).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.1));
  }

  // Files: types, caching, ranges, conditional requests.

  @Test
  void segmentsAreImmutableAudioWithoutCompression() throws IOException {
    String master = freeMaster();
    for (String file : new String[] {"hls/aac-128/init.mp4", "hls/aac-128/seg-00001.m4s"}) {
      HttpResponse<byte[]> segment = get(sibling(master, file), "Accept-Encoding", "gzip, br");
      assertThat(segment.statusCode()).as(file).isEqualTo(200);
      assertThat(header(segment, "Content-Type")).isEqualTo("audio/mp4");
      assertThat(header(segment, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
      assertThat(header(segment, "Accept-Ranges")).isEqualTo("bytes");
      assertThat(header(segment, "ETag")).matches("\"[^\"]+\"");
      assertThat(header(segment, "Content-Encoding")).isNull();
      assertThat(header(segment, "X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(segment.body()).isEqualTo(stored(file));
    }
  }

  @Test
  void mediaPlaylistIsServedAsStored() throws IOException {
    HttpResponse<byte[]> playlist = get(sibling(freeMaster(), "hls/aac-64/playlist.m3u8"));
    assertThat(playlist.statusCode()).isEqualTo(200);
    assertThat(header(playlist, "Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
    assertThat(playlist.body()).isEqualTo(stored("hls/aac-64/playlist.m3u8"));
    assertThat(new String(playlist.body(), UTF_8)).contains("init.mp4").contains("seg-00001.m4s");
  }

  @Test
  void progressiveFileAnswersRanges() throws IOException {
    String m4a = path(links(freeToken).getString("progressive"));
    byte[] file = stored("track.m4a");
    int size = file.length;

    HttpResponse<byte[]> first = get(m4a, "Range", "bytes=0-0");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(header(first, "Content-Range")).isEqualTo("bytes 0-0/" + size);
    assertThat(header(first, "Content-Type")).isEqualTo("audio/mp4");
    assertThat(first.body()).containsExactly(file[0]);

    HttpResponse<byte[]> middle = get(m4a, "Range", "bytes=100-199");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(header(middle, "Content-Range")).isEqualTo("bytes 100-199/" + size);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(file, 100, 200));

    HttpResponse<byte[]> suffix = get(m4a, "Range", "bytes=-100");
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(header(suffix, "Content-Range"))
        .isEqualTo("bytes " + (size - 100) + "-" + (size - 1) + "/" + size);
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(file, size - 100, size));

    HttpResponse<byte[]> open = get(m4a, "Range", "bytes=5-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(file, 5, size));

    HttpResponse<byte[]> clipped = get(m4a, "Range", "bytes=" + (size - 2) + "-99999999999");
    assertThat(clipped.statusCode()).isEqualTo(206);
    assertThat(clipped.body()).isEqualTo(Arrays.copyOfRange(file, size - 2, size));
  }

  @Test
  void rangeBeyondTheEndIsUnsatisfiable() {
    String m4a = path(links(freeToken).getString("progressive"));
    for (String range : new String[] {"bytes=99999999-", "bytes=99999999-100000000", "bytes=-0"}) {
      HttpResponse<byte[]> response = get(m4a, "Range", range);
      assertThat(response.statusCode()).as(range).isEqualTo(416);
      assertThat(header(response, "Content-Range")).matches("bytes \\*/\\d+");
      error(response);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"bytes=9-3", "bytes=0-1,5-6", "bytes=abc", "items=0-1", "bytes=", "bytes=--1"})
  void malformedOrMultipleRangesGetTheWholeFile(String range) throws IOException {
    String m4a = path(links(freeToken).getString("progressive"));
    HttpResponse<byte[]> response = get(m4a, "Range", range);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Range")).isNull();
    assertThat(response.body()).isEqualTo(stored("track.m4a"));
  }

  @Test
  void matchingEtagIsNotModified() {
    String segment = sibling(freeMaster(), "hls/aac-64/seg-00001.m4s");
    String etag = header(get(segment), "ETag");
    HttpResponse<byte[]> again = get(segment, "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(header(again, "ETag")).isEqualTo(etag);
    assertThat(get(segment, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    assertThat(get(segment, "If-None-Match", "\"other\", W/" + etag).statusCode()).isEqualTo(304);
  }

  @Test
  void staleIfRangeGetsTheWholeFile() throws IOException {
    String m4a = path(links(freeToken).getString("progressive"));
    HttpResponse<byte[]> response = get(m4a, "Range", "bytes=0-0", "If-Range", "\"stale\"");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(stored("track.m4a"));
  }

  @Test
  void headAnswersHeadersOnly() throws IOException {
    String m4a = path(links(freeToken).getString("progressive"));
    HttpResponse<byte[]> head = fetch("HEAD", m4a);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(header(head, "Content-Length"))
        .isEqualTo(String.valueOf(stored("track.m4a").length));
    assertThat(head.body()).isEmpty();
  }

  // Signed URLs and tiers.

  @Test
  void tamperedTokenIsForbidden() {
    String master = freeMaster();
    String token = master.split("/")[2];
    String[] parts = token.split("\\.");
    List<String> forged = new ArrayList<>();
    forged.add(
        parts[0].substring(0, 21)
            + (parts[0].endsWith("A") ? "B" : "A")
            + "."
            + parts[1]
            + "."
            + parts[2]
            + "."
            + parts[3]);
    forged.add(parts[0] + ".premium." + parts[2] + "." + parts[3]);
    forged.add(
        parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 86400) + "." + parts[3]);
    forged.add(
        parts[0]
            + "."
            + parts[1]
            + "."
            + parts[2]
            + "."
            + (parts[3].startsWith("A") ? "B" : "A")
            + parts[3].substring(1));
    forged.add(parts[0] + "." + parts[1] + "." + parts[2]);
    forged.add("x");
    for (String bad : forged) {
      HttpResponse<byte[]> response = get(master.replace(token, bad));
      assertThat(response.statusCode()).as(bad).isEqualTo(403);
      error(response);
      HttpResponse<byte[]> segment =
          get(sibling(master, "hls/aac-64/seg-00001.m4s").replace(token, bad));
      assertThat(segment.statusCode()).as(bad).isEqualTo(403);
    }
  }

  @Test
  void expiredTokenIsForbidden() {
    MediaUrls urls =
        new MediaUrls(
            settings.auth().signingKeys().get(0).secret(),
            settings.media().urlTtl(),
            Clock.systemUTC());
    String expired =
        urls.sign(MediaKeys.m4a(hash), freeUser.id(), Tier.FREE, Instant.now().minusSeconds(1));
    HttpResponse<byte[]> response = get(expired);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(error(response).getString("message")).contains("expired");
    String fresh =
        urls.sign(MediaKeys.m4a(hash), freeUser.id(), Tier.FREE, Instant.now().plusSeconds(60));
    assertThat(get(fresh).statusCode()).isEqualTo(200);
  }

  @Test
  void anotherTracksTokenIsForbidden() {
    String otherHash = "0".repeat(64);
    MediaUrls urls =
        new MediaUrls(
            settings.auth().signingKeys().get(0).secret(),
            settings.media().urlTtl(),
            Clock.systemUTC());
    String other = urls.sign(MediaKeys.m4a(otherHash), freeUser.id(), Tier.PREMIUM);
    String borrowed = other.replace(MediaKeys.m4a(otherHash), MediaKeys.m4a(hash));
    HttpResponse<byte[]> response = get(borrowed);
    assertThat(response.statusCode()).isEqualTo(403);
    error(response);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hls/aac-256/playlist.m3u8",
        "hls/aac-256/init.mp4",
        "hls/aac-256/seg-00001.m4s",
        "track.flac"
      })
  void freeTokenMayNotFetchPremiumRenditions(String file) {
    HttpResponse<byte[]> response = get(sibling(freeMaster(), file));
    assertThat(response.statusCode()).isEqualTo(403);
    error(response);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hls/aac-256/playlist.m3u8", "hls/aac-256/seg-00002.m4s", "track.flac"})
  void premiumTokenFetchesPremiumRenditions(String file) throws IOException {
    HttpResponse<byte[]> response = get(sibling(premiumMaster(), file));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(stored(file));
  }

  // Nothing outside the store, nothing but delivery's files.

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../../../it-secret.txt",
        "..%2F..%2F..%2F..%2Fit-secret.txt",
        "%2e%2e/%2e%2e/%2e%2e/%2e%2e/it-secret.txt",
        "%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fit-secret.txt",
        "..%5C..%5C..%5C..%5Cit-secret.txt",
        "hls/..%00/secret.txt",
        "secret.txt",
        "secret.txt%00.m4a",
        "hls/aac-64/../../secret.txt",
        "./secret.txt",
        "hls/aac-64/seg-00099.m4s",
        "hls/aac-64//seg-00001.m4s",
        "..%252F..%252Fit-secret.txt",
        "%2Fetc%2Fpasswd",
        "hls/aac-64/%2e%2e/%2e%2e/secret.txt"
      })
  void nothingOutsideTheServedFilesIsRead(String inTrack) {
    String master = freeMaster();
    HttpResponse<byte[]> response = get(sibling(master, inTrack));
    assertThat(response.statusCode()).as(inTrack).isBetween(400, 499);
    assertThat(new String(response.body(), UTF_8)).doesNotContain(SECRET);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/media/",
        "/media/x",
        "/media/x/",
        "/media/x/etc/passwd",
        "/media/x//etc/passwd",
        "/media/x/%2Fetc%2Fpasswd",
        "/media/../etc/passwd",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/x/tracks/ab/../../../../../etc/passwd",
        "/media/x/C:%5Cwindows%5Cwin.ini",
        "/media/x/%00",
        "/media/x/tracks%2Fab"
      })
  void pathsOutsideAnyTrackAreRefused(String path) {
    HttpResponse<byte[]> response = get(path);
    assertThat(response.statusCode()).as(path).isBetween(400, 499);
    assertThat(new String(response.body(), UTF_8)).doesNotContain("root:");
  }

  /**
   * Request targets sent byte for byte (an HTTP client would normalise dot segments or refuse
   * backslashes and control characters before they leave it).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../../../it-secret.txt",
        "hls/../../../../../it-secret.txt",
        "..\\..\\..\\..\\it-secret.txt",
        "hls/aac-64/..\\..\\secret.txt",
        "secret.txt\u0000.m4a",
        "/../../../it-secret.txt"
      })
  void rawTraversalTargetsAreRefused(String inTrack) throws IOException {
    String target = sibling(freeMaster(), inTrack);
    URI base = URI.create(api.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + target
                      + " HTTP/1.1\r\nHost: "
                      + base.getAuthority()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(answer.substring(9, 12));
      ANSWERS.add(status + " raw GET " + target);
      assertThat(status).as(answer).isBetween(400, 499);
      assertThat(answer).doesNotContain(SECRET);
    }
  }

  @Test
  void mediaNeedsNoBearerAndIgnoresOne() {
    String master = freeMaster();
    assertThat(get(master).statusCode()).isEqualTo(200);
    assertThat(get(master, "Authorization", "Bearer not-a-token").statusCode()).isEqualTo(200);
  }
}
