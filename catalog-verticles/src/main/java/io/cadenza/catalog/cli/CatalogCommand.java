package io.cadenza.catalog.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.cadenza.catalog.changes.KafkaChangeFeed;
import io.cadenza.catalog.load.BulkWriter;
import io.cadenza.catalog.load.CatalogSink;
import io.cadenza.catalog.load.ChinookCatalog;
import io.cadenza.catalog.load.SyntheticCatalog;
import io.cadenza.catalog.store.CatalogRepository;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.HostPort;
import io.cadenza.config.SettingsLoader;
import io.cadenza.config.cql.Cql;
import io.cadenza.config.cql.CqlMigrations;
import io.cadenza.config.error.ValidationException;
import io.cadenza.config.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code catalog import-chinook [file]} and {@code catalog generate [--tracks N] [--seed S]
 * [--concurrency C]}: load the Chinook sample data, or a synthetic catalog, into the configured
 * keyspace through {@link CatalogRepository} (so every write also goes to the catalog-changes
 * topic), with a progress bar and ETA. Settings are a node's ({@link SettingsLoader}); the schema
 * migrations and the Kafka topics are applied first, as a node does at start. Exit code 0 when
 * every write succeeded, 1 when some failed, 2 on a usage error.
 */
public final class CatalogCommand {

  static final String USAGE =
      """
      Usage: catalog import-chinook [ChinookData.json]
             catalog generate [--tracks N] [--seed S] [--concurrency C]
        import-chinook  the Chinook sample data (default: $CADENZA_CHINOOK, else
                        ../shared/data/chinook/ChinookData.json)
        generate        a synthetic catalog of N tracks (default 1000000), the same for the same
                        seed (default 1)
        --concurrency   writes in flight at once (default 64)""";

  static final int DEFAULT_TRACKS = 1_000_000;
  static final int DEFAULT_CONCURRENCY = 64;

  /** What the command line asks for. */
  record Request(String command, Path chinook, int tracks, long seed, int concurrency) {}

  private final PrintStream out;

  private CatalogCommand(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = new CatalogCommand(System.out).run(parse(args, System.getenv()));
    } catch (ValidationException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      code = 2;
    } catch (Exception e) {
      System.err.println("The catalog command stopped: " + e);
      code = 1;
    }
    System.exit(code);
  }

  static Request parse(String[] args, Map<String, String> env) {
    if (args.length == 0) {
      throw new ValidationException("no command given");
    }
    String command = args[0];
    switch (command) {
      case "import-chinook" -> {
        if (args.length > 2) {
          throw new ValidationException("import-chinook takes at most one file");
        }
        String file =
            args.length == 2
                ? args[1]
                : env.getOrDefault("CADENZA_CHINOOK", "../shared/data/chinook/ChinookData.json");
        return new Request(command, Path.of(file), 0, 0, DEFAULT_CONCURRENCY);
      }
      case "generate" -> {
        int tracks = DEFAULT_TRACKS;
        long seed = 1;
        int concurrency = DEFAULT_CONCURRENCY;
        for (int i = 1; i < args.length; i++) {
          String option = args[i];
          if (i + 1 == args.length) {
            throw new ValidationException(option + " needs a value");
          }
          String value = args[++i];
          switch (option) {
            case "--tracks" -> tracks = number(option, value, 1, 100_000_000);
            case "--seed" -> seed = longNumber(option, value);
            case "--concurrency" -> concurrency = number(option, value, 1, 1024);
            default -> throw new ValidationException("unknown option " + option);
          }
        }
        return new Request(command, null, tracks, seed, concurrency);
      }
      default -> throw new ValidationException("unknown command " + command);
    }
  }

  int run(Request request) throws Exception {
    ChinookCatalog chinook = null;
    if (request.chinook() != null) {
      if (!Files.isRegularFile(request.chinook())) {
        throw new ValidationException("the Chinook data is missing: no file " + request.chinook());
      }
      chinook = ChinookCatalog.read(request.chinook());
    }
    CadenzaSettings settings = SettingsLoader.load();
    String clientId = settings.node().name() + "-catalog";
    try (CqlSession session = connect(settings.cql(), clientId)) {
      new CqlMigrations(session, settings.cql())
          .apply(CqlMigrations.fromClasspath(CqlMigrations.BUILT_IN));
      ensureTopics(settings);
      Vertx vertx = Vertx.vertx();
      KafkaChangeFeed feed = KafkaChangeFeed.create(vertx, settings.kafka(), clientId);
      try {
        CatalogRepository repository =
            await(
                CatalogRepository.create(
                    new Cql(session, settings.cql().keyspace()), feed, Clock.systemUTC()));
        if (chinook != null) {
          ChinookCatalog catalog = chinook;
          return load(
              vertx,
              repository,
              "Chinook",
              catalog.tracks().size(),
              request.concurrency(),
              catalog::writeTo);
        }
        SyntheticCatalog synthetic = new SyntheticCatalog(request.seed(), request.tracks());
        return load(
            vertx,
            repository,
            "Generate",
            request.tracks(),
            request.concurrency(),
            synthetic::writeTo);
      } finally {
        await(feed.close());
        await(vertx.close());
      }
    }
  }

  private int load(
      Vertx vertx,
      CatalogRepository repository,
      String task,
      int tracks,
      int concurrency,
      Consumer<CatalogSink> source)
      throws InterruptedException {
    long t0 = System.nanoTime();
    BulkWriter.Result result;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(tracks)
            .setUnit(" tracks", 1)
            .showSpeed()
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build()) {
      BulkWriter writer =
          new BulkWriter(repository, vertx.getOrCreateContext(), concurrency, track -> bar.step());
      try {
        source.accept(writer);
      } finally {
        result = writer.finish(10, TimeUnit.MINUTES);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.printf(
        Locale.ROOT,
        "Wrote %d artists, %d albums, %d tracks in %.1f s (%.0f tracks/s), %d failed.%n",
        result.artists(),
        result.albums(),
        result.tracks(),
        seconds,
        result.tracks() / seconds,
        result.failed());
    result.failures().forEach(failure -> System.err.println("failed: " + failure));
    return result.failed() == 0 ? 0 : 1;
  }

  private static void ensureTopics(CadenzaSettings settings) throws Exception {
    CadenzaSettings.Kafka kafka = settings.kafka();
    int timeoutMs = (int) kafka.requestTimeout().toMillis();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServersString(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs))) {
      KafkaTopics.ensure(
          admin, kafka.topics(), kafka.replicationFactor(), settings.node().startupTimeout());
    }
  }

  private static CqlSession connect(CadenzaSettings.Cql cql, String name) {
    var builder =
        CqlSession.builder()
            .withLocalDatacenter(cql.localDatacenter())
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, cql.requestTimeout())
                    .withDuration(
                        DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                    .withString(DefaultDriverOption.SESSION_NAME, name)
                    .build());
    for (HostPort point : cql.contactPoints()) {
      builder.addContactPoint(new InetSocketAddress(point.host(), point.port()));
    }
    return builder.build();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int number(String option, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.replace("_", ""));
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ValidationException(option + " must be a whole number from " + min + " to " + max);
  }

  private static long longNumber(String option, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ValidationException(option + " must be a whole number");
    }
  }
}
