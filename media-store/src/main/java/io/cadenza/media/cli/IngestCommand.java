package io.cadenza.media.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.HostPort;
import io.cadenza.config.SettingsLoader;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.cql.CqlMigrations;
import io.cadenza.media.CqlMediaRepository;
import io.cadenza.media.MediaRepository;
import io.cadenza.media.ingest.IngestService;
import io.cadenza.media.ingest.ProbeResult;
import io.cadenza.media.store.LocalDiskObjectStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code ingest <files|folders...> [--mapping file.jsonl]}: ingests audio files into the media
 * store and the {@code media} table of the configured keyspace, with a progress bar and ETA.
 * Folders are searched recursively for audio files; a file that is corrupt or not audio is reported
 * on one line and skipped; content ingested before is skipped (so a second run resumes). The
 * mapping has one JSON object per line: {@code file} (relative to the mapping file), {@code
 * track_id}, and metadata {@code title}, {@code artist}, {@code album}, {@code genre}, {@code
 * track_number}, {@code disc_number}. Exit code 0 when every file was ingested or already there, 1
 * when some failed, 2 on a usage error.
 */
public final class IngestCommand {

  static final Set<String> AUDIO = Set.of("mp3", "flac", "ogg", "opus", "m4a", "aac", "wav");

  /** What the mapping says of one file. */
  record Mapped(Optional<String> trackId, ProbeResult.Tags overrides) {}

  private final PrintStream out;

  private IngestCommand(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = new IngestCommand(System.out).run(args);
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      System.err.println("Usage: ingest <files|folders...> [--mapping file.jsonl]");
      code = 2;
    } catch (Exception e) {
      System.err.println("Ingest stopped: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  int run(String[] args) throws Exception {
    List<Path> inputs = new ArrayList<>();
    Path mappingFile = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--mapping")) {
        if (i + 1 == args.length) {
          throw new UsageException("--mapping needs a file");
        }
        mappingFile = Path.of(args[++i]);
      } else if (args[i].startsWith("--")) {
        throw new UsageException("unknown option " + args[i]);
      } else {
        inputs.add(Path.of(args[i]));
      }
    }
    Map<Path, Mapped> mapping = mappingFile == null ? Map.of() : readMapping(mappingFile);
    if (inputs.isEmpty()) {
      inputs.addAll(mapping.keySet());
    }
    if (inputs.isEmpty()) {
      throw new UsageException("no files or folders to ingest");
    }
    List<Path> files = collect(inputs);
    if (files.isEmpty()) {
      out.println("No audio files found.");
      return 0;
    }

    CadenzaSettings settings = SettingsLoader.load();
    try (CqlSession session = connect(settings.cql())) {
      new CqlMigrations(session, settings.cql())
          .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN));
      Vertx vertx = Vertx.vertx();
      try {
        LocalDiskObjectStore store =
            LocalDiskObjectStore.create(vertx, settings.media().storeDir());
        MediaRepository repository =
            CqlMediaRepository.create(new Cql(session, settings.cql().keyspace()))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        try (IngestService ingest = IngestService.create(settings.media(), store, repository)) {
          return ingestAll(ingest, files, mapping, settings.media().maxConcurrentTranscodes());
        }
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private int ingestAll(
      IngestService ingest, List<Path> files, Map<Path, Mapped> mapping, int parallel)
      throws InterruptedException {
    AtomicInteger done = new AtomicInteger();
    AtomicInteger skipped = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.nanoTime();
    // As many at once as the pool runs, so the queue never fills and nothing is refused.
    Semaphore slots = new Semaphore(Math.max(1, parallel));
    CountDownLatch finished = new CountDownLatch(files.size());
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("Ingest")
            .setInitialMax(files.size())
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build()) {
      for (Path file : files) {
        slots.acquire();
        Mapped mapped =
            mapping.getOrDefault(
                file.toAbsolutePath().normalize(),
                new Mapped(Optional.empty(), ProbeResult.Tags.none()));
        ingest
            .ingest(new IngestService.Request(file, mapped.trackId(), mapped.overrides()))
            .onComplete(
                result -> {
                  if (result.succeeded()) {
                    (result.result().alreadyIngested() ? skipped : done).incrementAndGet();
                    bar.setExtraMessage(result.result().record().trackId());
                  } else {
                    failed.incrementAndGet();
                    String message = String.valueOf(result.cause().getMessage()).replace('\n', ' ');
                    System.err.println("\rskipped " + file + ": " + message);
                  }
                  bar.step();
                  slots.release();
                  finished.countDown();
                });
      }
      finished.await();
    }
    out.printf(
        Locale.ROOT,
        "Ingested %d, already there %d, failed %d of %d files in %.1f s.%n",
        done.get(),
        skipped.get(),
        failed.get(),
        files.size(),
        (System.nanoTime() - t0) / 1e9);
    return failed.get() == 0 ? 0 : 1;
  }

  /** The audio files of the inputs: files as given, folders searched recursively, in order. */
  static List<Path> collect(List<Path> inputs) throws IOException {
    Map<Path, Path> files = new LinkedHashMap<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(Files::isRegularFile)
              .filter(IngestCommand::isAudio)
              .sorted()
              .forEach(f -> files.putIfAbsent(f.toAbsolutePath().normalize(), f));
        }
      } else if (Files.isRegularFile(input)) {
        files.putIfAbsent(input.toAbsolutePath().normalize(), input);
      } else {
        throw new UsageException("no such file or folder: " + input);
      }
    }
    return new ArrayList<>(files.values());
  }

  static boolean isAudio(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && AUDIO.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The mapping by absolute file path. */
  static Map<Path, Mapped> readMapping(Path mappingFile) throws IOException {
    Path base = mappingFile.toAbsolutePath().getParent();
    Map<Path, Mapped> mapping = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(mappingFile, StandardCharsets.UTF_8);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) {
        continue;
      }
      JsonObject json;
      try {
        json = new JsonObject(line);
      } catch (DecodeException e) {
        throw new UsageException(
            mappingFile.getFileName() + " line " + (n + 1) + " is not a JSON object");
      }
      String file = json.getString("file");
      if (file == null || file.isBlank()) {
        throw new UsageException(mappingFile.getFileName() + " line " + (n + 1) + " has no file");
      }
      ProbeResult.Tags overrides =
          new ProbeResult.Tags(
              text(json, "title"),
              text(json, "artist"),
              text(json, "album"),
              Optional.empty(),
              text(json, "genre"),
              number(json, "track_number"),
              number(json, "disc_number"),
              Optional.empty(),
              Optional.empty());
      mapping.put(base.resolve(file).normalize(), new Mapped(text(json, "track_id"), overrides));
    }
    return mapping;
  }

  private static Optional<String> text(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value == null ? Optional.empty() : Optional.of(value.toString());
  }

  private static Optional<Integer> number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof Number number) {
      return Optional.of(number.intValue());
    }
    if (value instanceof String s && s.strip().matches("\\d+")) {
      return Optional.of(Integer.parseInt(s.strip()));
    }
    return Optional.empty();
  }

  private static CqlSession connect(CadenzaSettings.Cql cql) {
    var builder =
        CqlSession.builder()
            .withLocalDatacenter(cql.localDatacenter())
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, cql.requestTimeout())
                    .withDuration(
                        DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                    .withString(DefaultDriverOption.SESSION_NAME, "cadenza-ingest")
                    .build());
    for (HostPort point : cql.contactPoints()) {
      builder.addContactPoint(new InetSocketAddress(point.host(), point.port()));
    }
    return builder.build();
  }

  /** A mistake in the command line or the mapping file. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
