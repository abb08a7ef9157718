package io.cadenza.media.cli;

import io.cadenza.config.id.Base62Id;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code demo-catalog --chinook ChinookData.json --out <folder> [--full] [--albums N] [--jobs N]}:
 * synthesises a demo catalog from the Chinook sample data. For every chosen track espeak-ng speaks
 * "<track>, by <artist>, from <album>" over a soft chord (ffmpeg), clipped to the track's length
 * and at most {@value #MAX_CLIP_SECONDS} s, and encoded to MP3; then {@code mapping.jsonl} is
 * written for the ingest command, with the Chinook metadata and the track ids the catalog's Chinook
 * import uses. By default the first {@value #DEFAULT_ALBUMS} albums (by AlbumId); {@code --full}
 * takes every track. Files already there are reused, so a second run synthesises nothing. Exit code
 * 0 when every track has its audio, 1 when some failed (the mapping then lists the others), 2 on a
 * usage error.
 */
public final class DemoCatalog {

  static final int DEFAULT_ALBUMS = 3;
  static final int MAX_CLIP_SECONDS = 30;
  static final String MAPPING = "mapping.jsonl";

  private static final Duration SPEAK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ENCODE_TIMEOUT = Duration.ofSeconds(90);

  /** Roots of the major chords under the voice, one per genre so albums sound apart. */
  private static final double[] ROOTS = {196.00, 220.00, 246.94, 261.63, 293.66, 174.61};

  /** One Chinook track with what the mapping needs. */
  record DemoTrack(
      long trackId,
      String title,
      String artist,
      String album,
      long albumId,
      String genre,
      long genreId,
      int trackNumber,
      long milliseconds) {

    String id() {
      return Base62Id.named("chinook:track:" + trackId);
    }

    String fileName() {
      return "chinook-" + trackId + ".mp3";
    }

    String speech() {
      return title + ", by " + artist + ", from " + album;
    }

    /** The clip length in seconds: the track's own, at most {@value #MAX_CLIP_SECONDS}. */
    double clipSeconds() {
      return Math.max(1.0, Math.min(milliseconds / 1000.0, MAX_CLIP_SECONDS));
    }

    JsonObject mappingLine() {
      return new JsonObject()
          .put("file", fileName())
          .put("track_id", id())
          .put("title", title)
          .put("artist", artist)
          .put("album", album)
          .put("genre", genre)
          .put("track_number", trackNumber)
          .put("disc_number", 1);
    }
  }

  private final PrintStream out;

  private DemoCatalog(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = new DemoCatalog(System.out).run(args);
    } catch (IngestCommand.UsageException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "Usage: demo-catalog --chinook ChinookData.json --out <folder> [--full] [--albums N]"
              + " [--jobs N]");
      code = 2;
    } catch (Exception e) {
      System.err.println("Demo catalog stopped: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  int run(String[] args) throws Exception {
    Path chinook = null;
    Path folder = null;
    boolean full = false;
    int albums = DEFAULT_ALBUMS;
    int jobs = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--full" -> full = true;
        case "--chinook" -> chinook = Path.of(value(args, ++i, "--chinook"));
        case "--out" -> folder = Path.of(value(args, ++i, "--out"));
        case "--albums" -> albums = positive(value(args, ++i, "--albums"), "--albums");
        case "--jobs" -> jobs = positive(value(args, ++i, "--jobs"), "--jobs");
        default -> throw new IngestCommand.UsageException("unknown argument " + args[i]);
      }
    }
    if (chinook == null || folder == null) {
      throw new IngestCommand.UsageException("--chinook and --out are required");
    }
    if (!Files.isRegularFile(chinook)) {
      throw new IngestCommand.UsageException("the Chinook data is missing: no file " + chinook);
    }
    JsonObject data;
    try {
      data = new JsonObject(Files.readString(chinook, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new IngestCommand.UsageException(chinook + " is not JSON: " + e.getMessage());
    }
    List<DemoTrack> tracks = select(data, full ? Integer.MAX_VALUE : albums);
    Files.createDirectories(folder);
    long t0 = System.nanoTime();
    List<DemoTrack> missing = new ArrayList<>();
    for (DemoTrack track : tracks) {
      if (!isThere(folder.resolve(track.fileName()))) {
        missing.add(track);
      }
    }
    out.printf(
        Locale.ROOT,
        "Demo catalog: %d tracks of %d albums, %d to synthesise into %s.%n",
        tracks.size(),
        tracks.stream().mapToLong(DemoTrack::albumId).distinct().count(),
        missing.size(),
        folder);
    int failed = missing.isEmpty() ? 0 : synthesiseAll(missing, folder, jobs);
    List<String> lines = new ArrayList<>();
    for (DemoTrack track : tracks) {
      if (isThere(folder.resolve(track.fileName()))) {
        lines.add(track.mappingLine().encode());
      }
    }
    Path mapping = folder.resolve(MAPPING);
    Path tmp = folder.resolve(MAPPING + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, mapping, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out.printf(
        Locale.ROOT,
        "Synthesised %d, reused %d, failed %d in %.1f s; mapping in %s.%n",
        missing.size() - failed,
        tracks.size() - missing.size(),
        failed,
        (System.nanoTime() - t0) / 1e9,
        mapping);
    return failed == 0 ? 0 : 1;
  }

  /**
   * The tracks of the first {@code albums} albums by AlbumId (every album when there are fewer),
   * ordered by album then TrackId; the track number is the position within the album.
   */
  static List<DemoTrack> select(JsonObject data, int albums) {
    Map<Long, String> genres = names(data.getJsonArray("Genre"), "GenreId", "Name");
    Map<Long, String> artists = names(data.getJsonArray("Artist"), "ArtistId", "Name");
    TreeMap<Long, JsonObject> albumsById = new TreeMap<>();
    for (Object o : array(data, "Album")) {
      JsonObject album = (JsonObject) o;
      albumsById.put(album.getLong("AlbumId"), album);
    }
    Map<Long, List<JsonObject>> tracksByAlbum = new HashMap<>();
    for (Object o : array(data, "Track")) {
      JsonObject track = (JsonObject) o;
      Long albumId = track.getLong("AlbumId");
      if (albumId != null) {
        tracksByAlbum.computeIfAbsent(albumId, k -> new ArrayList<>()).add(track);
      }
    }
    List<DemoTrack> chosen = new ArrayList<>();
    int taken = 0;
    for (JsonObject album : albumsById.values()) {
      if (taken == albums) {
        break;
      }
      List<JsonObject> tracks = tracksByAlbum.getOrDefault(album.getLong("AlbumId"), List.of());
      if (tracks.isEmpty()) {
        continue;
      }
      taken++;
      tracks.sort(Comparator.comparingLong(t -> t.getLong("TrackId")));
      int number = 0;
      for (JsonObject track : tracks) {
        long genreId = track.getLong("GenreId", 0L);
        chosen.add(
            new DemoTrack(
                track.getLong("TrackId"),
                track.getString("Name", "Untitled").strip(),
                artists.getOrDefault(album.getLong("ArtistId"), "Unknown artist").strip(),
                album.getString("Title", "Untitled").strip(),
                album.getLong("AlbumId"),
                genres.getOrDefault(genreId, "Unknown"),
                genreId,
                ++number,
                track.getLong("Milliseconds", 30_000L)));
      }
    }
    return chosen;
  }

  /** The ffmpeg arguments that lay the speech over a soft chord and encode the clip. */
  static List<String> encodeCommand(DemoTrack track, Path speech, Path target) {
    double root = ROOTS[(int) Math.floorMod(track.genreId(), (long) ROOTS.length)];
    String d = String.format(Locale.ROOT, "%.3f", track.clipSeconds());
    double fadeOut = Math.min(3.0, track.clipSeconds() / 3);
    List<String> command =
        new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
    for (double ratio : new double[] {1.0, 1.2599, 1.4983}) {
      command.addAll(
          List.of(
              "-f",
              "lavfi",
              "-i",
              String.format(Locale.ROOT, "sine=f=%.2f:d=%s:r=44100", root * ratio, d)));
    }
    command.addAll(List.of("-i", speech.toString()));
    command.addAll(
        List.of(
            "-filter_complex",
            String.format(
                Locale.ROOT,
                "[0:a][1:a][2:a]amix=inputs=3:normalize=0,volume=0.12,tremolo=f=0.3:d=0.4[pad];"
                    + "[3:a]aresample=44100,adelay=800,apad[voice];"
                    + "[pad][voice]amix=inputs=2:duration=first:normalize=0,"
                    + "afade=t=in:d=%.3f,afade=t=out:st=%.3f:d=%.3f[out]",
                Math.min(1.0, track.clipSeconds() / 4),
                track.clipSeconds() - fadeOut,
                fadeOut),
            "-map",
            "[out]",
            "-t",
            d,
            "-ac",
            "1",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "96k",
            "-metadata",
            "title=" + track.title(),
            "-metadata",
            "artist=" + track.artist(),
            "-metadata",
            "album=" + track.album(),
            "-f",
            "mp3",
            target.toString()));
    return command;
  }

  private int synthesiseAll(List<DemoTrack> tracks, Path folder, int jobs)
      throws InterruptedException {
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("Synthesise")
            .setInitialMax(tracks.size())
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build()) {
      List<Future<?>> futures = new ArrayList<>();
      for (DemoTrack track : tracks) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    synthesise(track, folder);
                  } catch (IOException e) {
                    failed.incrementAndGet();
                    System.err.println(
                        "\rtrack "
                            + track.trackId()
                            + " ("
                            + track.title()
                            + "): "
                            + e.getMessage());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  bar.step();
                }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (java.util.concurrent.ExecutionException e) {
          failed.incrementAndGet();
        }
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    return failed.get();
  }

  private static void synthesise(DemoTrack track, Path folder)
      throws IOException, InterruptedException {
    Path target = folder.resolve(track.fileName());
    Path partial = folder.resolve(track.fileName() + ".part");
    Path text = Files.createTempFile("cadenza-demo-", ".txt");
    Path speech = Files.createTempFile("cadenza-demo-", ".wav");
    try {
      Files.writeString(text, track.speech(), StandardCharsets.UTF_8);
      exec(
          List.of("espeak-ng", "-s", "150", "-w", speech.toString(), "-f", text.toString()),
          SPEAK_TIMEOUT);
      exec(encodeCommand(track, speech, partial), ENCODE_TIMEOUT);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(text);
      Files.deleteIfExists(speech);
      Files.deleteIfExists(partial);
    }
  }

  /** Runs a tool to completion within the timeout; its output goes to a file, read on failure. */
  private static void exec(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    String tool = command.get(0);
    Path log = Files.createTempFile("cadenza-demo-", ".log");
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException e) {
        throw new IOException(tool + " cannot be run (is it installed? ./cadenza install)", e);
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(tool + " did not finish within " + timeout.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        String output = Files.readString(log, StandardCharsets.UTF_8).strip().replace('\n', ' ');
        if (output.length() > 400) {
          output = output.substring(output.length() - 400);
        }
        throw new IOException(
            tool + " failed with exit code " + process.exitValue() + ": " + output);
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static boolean isThere(Path file) throws IOException {
    return Files.isRegularFile(file) && Files.size(file) > 0;
  }

  private static JsonArray array(JsonObject data, String key) {
    JsonArray array = data.getJsonArray(key);
    if (array == null) {
      throw new IngestCommand.UsageException("the Chinook data has no " + key + " list");
    }
    return array;
  }

  private static Map<Long, String> names(JsonArray rows, String idKey, String nameKey) {
    Map<Long, String> names = new HashMap<>();
    if (rows != null) {
      for (Object o : rows) {
        JsonObject row = (JsonObject) o;
        names.put(row.getLong(idKey), row.getString(nameKey));
      }
    }
    return names;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IngestCommand.UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static int positive(String text, String option) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IngestCommand.UsageException(option + " must be a positive number, not " + text);
  }
}
