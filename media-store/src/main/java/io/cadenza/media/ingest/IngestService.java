package io.cadenza.media.ingest;

import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.error.RetriableException;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.cadenza.media.MediaRecord;
import io.cadenza.media.MediaRepository;
import io.cadenza.media.Rendition;
import io.cadenza.media.store.MediaKeys;
import io.cadenza.media.store.ObjectStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests source files: content hash first (the same bytes are ingested once; a second ingest
 * returns the first record), then ffprobe, EBU R128 loudness, one ffmpeg transcode into a work
 * folder, every file moved into the object store (the master playlist last, so the ladder is
 * reachable only when whole), and the record saved (after its files, so a record always points at
 * complete renditions).
 *
 * <p>Work runs on a bounded pool of {@code max-concurrent-transcodes} threads with a queue of
 * {@code transcode-queue}; beyond that an ingest fails at once with {@link
 * RetriableException#saturated} (HTTP 429 + Retry-After). Never on an event loop.
 */
public final class IngestService implements AutoCloseable {

  /**
   * What to ingest.
   *
   * @param trackId the track the audio belongs to; a new random id when empty
   * @param overrides metadata that replaces the file's own tags
   */
  public record Request(Path file, Optional<String> trackId, ProbeResult.Tags overrides) {

    public static Request of(Path file) {
      return new Request(file, Optional.empty(), ProbeResult.Tags.none());
    }
  }

  /**
   * The outcome: the saved record, the file's tags with the overrides applied (only the overrides
   * when the content was ingested before and so not probed again), whether the content was already
   * there, and whether it had cover art.
   */
  public record Ingested(
      MediaRecord record, ProbeResult.Tags tags, boolean alreadyIngested, Optional<String> cover) {}

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

  private final ObjectStore store;
  private final MediaRepository repository;
  private final Probe probe;
  private final Loudness loudness;
  private final Transcoder transcoder;
  private final ThreadPoolExecutor pool;

  private IngestService(
      CadenzaSettings.Media settings, ObjectStore store, MediaRepository repository) {
    this.store = store;
    this.repository = repository;
    this.probe = new Probe(settings.ffprobe());
    this.loudness = new Loudness(settings.ffmpeg(), settings.loudnessTargetLufs());
    this.transcoder = new Transcoder(settings.ffmpeg(), settings.segmentDuration());
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            settings.maxConcurrentTranscodes(),
            settings.maxConcurrentTranscodes(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, settings.transcodeQueue())),
            r -> {
              Thread t = new Thread(r, "cadenza-ingest-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
  }

  public static IngestService create(
      CadenzaSettings.Media settings, ObjectStore store, MediaRepository repository) {
    return new IngestService(settings, store, repository);
  }

  /** Ingests one file; fails with 429 at once when the pool and its queue are full. */
  public Future<Ingested> ingest(Request request) {
    return submit(() -> ingestBlocking(request));
  }

  /** Runs work on the pool, completing on the caller's context when it has one. */
  <T> Future<T> submit(Callable<T> work) {
    CompletableFuture<T> done = new CompletableFuture<>();
    try {
      pool.execute(
          () -> {
            try {
              done.complete(work.call());
            } catch (Throwable t) {
              done.completeExceptionally(t);
            }
          });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(
          RetriableException.saturated(
              "transcoding is saturated ("
                  + pool.getMaximumPoolSize()
                  + " running, "
                  + pool.getQueue().size()
                  + " waiting); try again later",
              RETRY_AFTER));
    }
    Context context = Vertx.currentContext();
    return context == null
        ? Future.fromCompletionStage(done)
        : Future.fromCompletionStage(done, context);
  }

  private Ingested ingestBlocking(Request request) throws Exception {
    Path file = request.file();
    if (!Files.isRegularFile(file)) {
      throw new ValidationException("no such file: " + file.getFileName());
    }
    request.trackId().ifPresent(IngestService::checkTrackId);
    String hash = sha256(file);
    Optional<String> known = await(repository.trackIdByContentHash(hash));
    if (known.isPresent()) {
      Optional<MediaRecord> record = await(repository.byTrackId(known.get()));
      if (record.isPresent()) {
        LOG.info(
            "Skipped {}: its content was ingested before as trackId {}.",
            file.getFileName(),
            known.get());
        return new Ingested(record.get(), request.overrides(), true, cover(record.get()));
      }
    }
    long t0 = System.nanoTime();
    ProbeResult probed = probe.probe(file);
    Loudness.Measurement loud = loudness.measure(file, Transcoder.timeoutFor(probed.durationMs()));
    Path work = Files.createTempDirectory("cadenza-ingest-");
    try {
      Transcoder.Output output = transcoder.transcode(file, probed, work);
      String folder = MediaKeys.track(hash);
      for (Path relative : storeOrder(output.files())) {
        await(store.put(folder + relative.toString().replace('\\', '/'), work.resolve(relative)));
      }
      List<Rendition> renditions = new ArrayList<>();
      for (Transcoder.RenditionFile r : output.renditions()) {
        renditions.add(r.under(folder));
      }
      long samples = Math.round(probed.durationMs() / 1000.0 * Transcoder.AAC_SAMPLE_RATE);
      MediaRecord record =
          new MediaRecord(
              request.trackId().orElseGet(Base62Id::random),
              hash,
              probed.formatName().split(",")[0] + "/" + probed.codec(),
              probed.durationMs(),
              loud.integratedLufs(),
              loud.gainDb(),
              Transcoder.AAC_PRIMING_SAMPLES,
              aacPadding(samples),
              renditions,
              // The database keeps milliseconds: the returned record equals the stored one.
              Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
      await(repository.save(record));
      LOG.info(
          "Ingested {} as trackId {} ({} ms of {} audio, {} LUFS) in {} ms.",
          file.getFileName(),
          record.trackId(),
          record.durationMs(),
          record.sourceFormat(),
          String.format(java.util.Locale.ROOT, "%.1f", record.loudnessLufs()),
          (System.nanoTime() - t0) / 1_000_000);
      Optional<String> cover =
          output.files().contains(Path.of("cover.jpg"))
              ? Optional.of(MediaKeys.cover(hash))
              : Optional.empty();
      return new Ingested(record, probed.tags().overriddenBy(request.overrides()), false, cover);
    } finally {
      deleteTree(work);
    }
  }

  /**
   * The samples the AAC encoder adds after the audio to fill its last frame: frames of 1024 samples
   * hold the priming and the audio.
   */
  static int aacPadding(long samples) {
    long frame = 1024;
    long frames = (samples + Transcoder.AAC_PRIMING_SAMPLES + frame - 1) / frame;
    return (int) (frames * frame - Transcoder.AAC_PRIMING_SAMPLES - samples);
  }

  /**
   * Segments and init segments first, then the variant playlists, the files, and the master
   * playlist last: whoever can read the master can read everything it names.
   */
  static List<Path> storeOrder(List<Path> files) {
    List<Path> ordered = new ArrayList<>(files);
    ordered.sort(Comparator.comparingInt(IngestService::rank).thenComparing(Path::toString));
    return ordered;
  }

  private static int rank(Path relative) {
    String name = relative.getFileName().toString();
    if (name.equals("master.m3u8")) {
      return 3;
    }
    if (name.endsWith(".m3u8")) {
      return 1;
    }
    return relative.startsWith("hls") ? 0 : 2;
  }

  private Optional<String> cover(MediaRecord record) throws Exception {
    String key = MediaKeys.cover(record.contentHash());
    return await(store.stat(key)).map(o -> key);
  }

  private static void checkTrackId(String trackId) {
    if (!Base62Id.isValid(trackId)) {
      throw new ValidationException("not a track id (22 base62 characters): " + trackId);
    }
  }

  /** The SHA-256 of a file in hex. */
  public static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } catch (TimeoutException e) {
      throw RetriableException.unavailable("the media store or database did not answer", e);
    }
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(IngestService::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not remove the work folder {}: {}", folder, e.toString());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops taking work and waits a little for running ingests. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
