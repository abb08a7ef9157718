package io.cadenza.media.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.ConfigFactory;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.HostPort;
import io.cadenza.config.SettingsLoader;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.cql.CqlMigrations;
import io.cadenza.config.error.ValidationException;
import io.cadenza.media.CqlMediaRepository;
import io.cadenza.media.MediaRecord;
import io.cadenza.media.MediaRepository;
import io.cadenza.media.Rendition;
import io.cadenza.media.store.LocalDiskObjectStore;
import io.cadenza.media.store.MediaKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ingest end to end against the test stack's Cassandra (a fresh keyspace) and a temporary store:
 * short synthetic audio in several formats, checked with ffprobe and ffmpeg through the store's
 * files.
 */
class IngestIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir static Path temp;

  private static String keyspace;
  private static CqlSession session;
  private static Vertx vertx;
  private static LocalDiskObjectStore store;
  private static MediaRepository repository;
  private static IngestService ingest;
  private static Path sources;

  @BeforeAll
  static void start() throws Exception {
    keyspace = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CADENZA_CQL_KEYSPACE", keyspace);
    env.put("CADENZA_MEDIA_DIR", temp.resolve("store").toString());
    CadenzaSettings settings = SettingsLoader.load(env, ConfigFactory.empty());
    var builder =
        CqlSession.builder()
            .withLocalDatacenter(settings.cql().localDatacenter())
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                    .build());
    for (HostPort point : settings.cql().contactPoints()) {
      builder.addContactPoint(new InetSocketAddress(point.host(), point.port()));
    }
    session = builder.build();
    new CqlMigrations(session, settings.cql())
        .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN));
    vertx = Vertx.vertx();
    store = LocalDiskObjectStore.create(vertx, settings.media().storeDir());
    repository = await(CqlMediaRepository.create(new Cql(session, keyspace)));
    ingest = IngestService.create(settings.media(), store, repository);
    sources = Files.createDirectories(temp.resolve("sources"));
    synthesise("tone.mp3", "-c:a", "libmp3lame", "-b:a", "192k");
    synthesise("tone.flac", "-c:a", "flac");
    synthesise("tone.opus", "-c:a", "libopus", "-b:a", "96k");
    synthesise("tone.m4a", "-c:a", "aac", "-b:a", "160k");
    synthesise("tone.wav", "-c:a", "pcm_s16le");
  }

  @AfterAll
  static void stop() throws Exception {
    if (ingest != null) {
      ingest.close();
    }
    if (session != null) {
      session.execute(
          SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
              .setTimeout(Duration.ofSeconds(60)));
      session.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tone.mp3", "tone.flac", "tone.opus", "tone.m4a", "tone.wav"})
  void everyFormatBecomesAPlayableLadderFlacAndM4a(String name) throws Exception {
    Path source = sources.resolve(name);
    double sourceSeconds = duration(source);

    IngestService.Ingested done = await(ingest.ingest(IngestService.Request.of(source)));

    MediaRecord record = done.record();
    assertThat(await(repository.byTrackId(record.trackId()))).contains(record);
    assertThat(record.contentHash()).isEqualTo(IngestService.sha256(source));
    assertThat(record.durationMs() / 1000.0).isCloseTo(sourceSeconds, within(0.1));
    // A 440 Hz sine at the lavfi default amplitude (1/8) measures about -21 LUFS.
    assertThat(record.loudnessLufs()).isBetween(-30.0, -10.0);
    assertThat(record.gainDb()).isCloseTo(-14.0 - record.loudnessLufs(), within(1e-9));
    assertThat(record.renditions())
        .extracting(Rendition::name)
        .containsExactly("aac-64", "aac-128", "aac-256", "flac", "m4a");
    assertThat(record.renditions())
        .filteredOn(Rendition::premium)
        .extracting(Rendition::name)
        .containsExactly("aac-256", "flac");

    String hash = record.contentHash();
    for (String variant : Transcoder.LADDER.keySet()) {
      Path playlist = local(MediaKeys.variantPlaylist(hash, variant));
      JsonObject probe = ffprobe(playlist);
      assertThat(codec(probe)).isEqualTo("aac");
      assertThat(seconds(probe)).as(variant).isCloseTo(sourceSeconds, within(0.1));
      double nominal = Transcoder.LADDER.get(variant);
      assertThat(Double.parseDouble(audio(probe).getString("bit_rate")))
          .as(variant + " bitrate")
          .isCloseTo(nominal, within(nominal * 0.2));
      assertThat(local(MediaKeys.variant(hash, variant) + "init.mp4")).exists();
      assertThat(local(MediaKeys.variant(hash, variant) + "seg-00001.m4s")).exists();
    }
    JsonObject flac = ffprobe(local(MediaKeys.flac(hash)));
    assertThat(codec(flac)).isEqualTo("flac");
    assertThat(seconds(flac)).isCloseTo(sourceSeconds, within(0.1));
    JsonObject m4a = ffprobe(local(MediaKeys.m4a(hash)));
    assertThat(codec(m4a)).isEqualTo("aac");
    assertThat(seconds(m4a)).isCloseTo(sourceSeconds, within(0.1));
    assertThat(Double.parseDouble(audio(m4a).getString("bit_rate")))
        .isCloseTo(128_000, within(128_000 * 0.2));

    // The whole ladder decodes with no complaint.
    Processes.Result decode =
        Processes.run(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-i",
                local(MediaKeys.master(hash)).toString(),
                "-map",
                "0:a",
                "-f",
                "null",
                "-"),
            TIMEOUT);
    assertThat(decode.exitCode()).isZero();
    assertThat(decode.stderr()).isEmpty();
  }

  @Test
  void masterPlaylistNamesThreeVariantsWithBandwidthAndCodecsAndSegmentsOfFourToSixSeconds()
      throws Exception {
    Path source = sources.resolve("tone.flac");
    MediaRecord record = await(ingest.ingest(IngestService.Request.of(source))).record();
    String hash = record.contentHash();

    String master = Files.readString(local(MediaKeys.master(hash)), StandardCharsets.UTF_8);
    Matcher inf =
        Pattern.compile("#EXT-X-STREAM-INF:.*BANDWIDTH=\\d+.*CODECS=\"mp4a\\.40\\.2\"")
            .matcher(master);
    int variants = 0;
    while (inf.find()) {
      variants++;
    }
    assertThat(variants).isEqualTo(3);
    assertThat(Transcoder.bandwidths(master)).containsOnlyKeys("aac-64", "aac-128", "aac-256");

    for (String variant : Transcoder.LADDER.keySet()) {
      String playlist =
          Files.readString(local(MediaKeys.variantPlaylist(hash, variant)), StandardCharsets.UTF_8);
      assertThat(playlist).contains("#EXT-X-MAP:URI=\"init.mp4\"").contains("#EXT-X-ENDLIST");
      Matcher extinf = Pattern.compile("#EXTINF:([0-9.]+),").matcher(playlist);
      List<Double> durations = new java.util.ArrayList<>();
      while (extinf.find()) {
        durations.add(Double.parseDouble(extinf.group(1)));
      }
      assertThat(durations).hasSizeGreaterThan(1);
      for (double d : durations.subList(0, durations.size() - 1)) {
        assertThat(d).as(variant + " segment").isBetween(3.9, 6.1);
      }
      assertThat(durations.get(durations.size() - 1)).isLessThanOrEqualTo(6.1);
    }
  }

  @Test
  void reingestOfTheSameFileReturnsTheSameRecordWithoutTranscoding() throws Exception {
    Path source = sources.resolve("tone.wav");
    MediaRecord first = await(ingest.ingest(IngestService.Request.of(source))).record();
    Path master = local(MediaKeys.master(first.contentHash()));
    var modified = Files.getLastModifiedTime(master);

    long t0 = System.nanoTime();
    IngestService.Ingested again = await(ingest.ingest(IngestService.Request.of(source)));

    assertThat(again.alreadyIngested()).isTrue();
    assertThat(again.record()).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(master)).isEqualTo(modified);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void corruptFileIsRefusedWithAClearErrorAndLeavesNothingInTheStore() throws Exception {
    byte[] noise = new byte[64 * 1024];
    new Random(7).nextBytes(noise);
    Path corrupt = Files.write(temp.resolve("corrupt.mp3"), noise);
    String hash = IngestService.sha256(corrupt);

    Throwable failure = catchFailure(ingest.ingest(IngestService.Request.of(corrupt)));

    assertThat(failure).isInstanceOf(ValidationException.class).hasMessageContaining("corrupt.mp3");
    assertThat(await(store.list(MediaKeys.track(hash)))).isEmpty();
    assertThat(await(repository.trackIdByContentHash(hash))).isEmpty();
  }

  private static Throwable catchFailure(Future<?> future) throws InterruptedException {
    try {
      future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + TIMEOUT, e);
    }
  }

  private static void synthesise(String name, String... codec) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=12",
                "-ac",
                "2"));
    command.addAll(List.of(codec));
    command.add(sources.resolve(name).toString());
    Processes.Result result = Processes.run(command, TIMEOUT);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }

  private static Path local(String key) {
    return store.localFile(key).orElseThrow(() -> new AssertionError("not in the store: " + key));
  }

  private static double duration(Path file) throws IOException {
    return seconds(ffprobe(file));
  }

  private static JsonObject ffprobe(Path file) throws IOException {
    Processes.Result result =
        Processes.run(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                file.toString()),
            TIMEOUT);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return new JsonObject(result.stdout());
  }

  private static JsonObject audio(JsonObject probe) {
    for (Object s : probe.getJsonArray("streams")) {
      JsonObject stream = (JsonObject) s;
      if ("audio".equals(stream.getString("codec_type"))) {
        return stream;
      }
    }
    throw new AssertionError("no audio stream");
  }

  private static String codec(JsonObject probe) {
    return audio(probe).getString("codec_name");
  }

  private static double seconds(JsonObject probe) {
    return Double.parseDouble(probe.getJsonObject("format").getString("duration"));
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
