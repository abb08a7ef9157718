package io.cadenza.media.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool (ffmpeg, ffprobe) to completion with a deadline. Blocking: call it from a
 * worker thread, never an event loop. Output goes to temporary files, so a chatty tool can never
 * block on a full pipe.
 */
final class Processes {

  /** What a finished process left: its exit code, standard output and standard error. */
  record Result(int exitCode, String stdout, String stderr) {

    boolean ok() {
      return exitCode == 0;
    }

    /** The last lines of stderr, for an error message. */
    String stderrTail() {
      String[] lines = stderr.strip().split("\n");
      int from = Math.max(0, lines.length - 6);
      return String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length)).strip();
    }
  }

  private Processes() {}

  static Result run(List<String> command, Duration timeout) throws IOException {
    Path out = Files.createTempFile("cadenza-proc-", ".out");
    Path err = Files.createTempFile("cadenza-proc-", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException(command.get(0) + " was interrupted", e);
      }
      if (!finished) {
        process.destroyForcibly();
        throw new IOException(
            command.get(0) + " did not finish within " + timeout.toSeconds() + " s; stopped it");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
