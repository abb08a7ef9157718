package io.cadenza.media.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EBU R128 integrated loudness of a file, measured by ffmpeg's {@code ebur128} filter, and the gain
 * that brings it to the target. Blocking.
 */
public final class Loudness {

  /** The loudness and the gain (target minus integrated loudness), both in dB / LUFS. */
  public record Measurement(double integratedLufs, double gainDb) {}

  private static final Pattern INTEGRATED =
      Pattern.compile("Integrated loudness:\\s*\\n\\s*I:\\s*(-?(?:\\d+(?:\\.\\d+)?|inf))\\s*LUFS");

  private final String ffmpeg;
  private final double targetLufs;

  public Loudness(String ffmpeg, double targetLufs) {
    this.ffmpeg = ffmpeg;
    this.targetLufs = targetLufs;
  }

  public Measurement measure(Path file, Duration timeout) throws IOException {
    // framelog=verbose keeps the per-frame lines below the info level; the summary stays.
    Processes.Result result =
        Processes.run(
            List.of(
                ffmpeg,
                "-nostdin",
                "-hide_banner",
                "-nostats",
                "-v",
                "info",
                "-i",
                file.toString(),
                "-map",
                "0:a:0",
                "-af",
                "ebur128=framelog=verbose",
                "-f",
                "null",
                "-"),
            timeout);
    if (!result.ok()) {
      throw new IOException("loudness measurement failed: " + result.stderrTail());
    }
    return new Measurement(
        parseIntegrated(result.stderr()), targetLufs - parseIntegrated(result.stderr()));
  }

  /**
   * The integrated loudness from the filter's summary; {@code -inf} (digital silence) counts as -70
   * LUFS, the filter's absolute gate.
   */
  static double parseIntegrated(String stderr) {
    Matcher m = INTEGRATED.matcher(stderr.replace("\r", ""));
    double value = Double.NaN;
    while (m.find()) { // the last summary is the file's
      String v = m.group(1);
      value = v.endsWith("inf") ? -70.0 : Double.parseDouble(v);
    }
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("no integrated loudness in ffmpeg's output");
    }
    return Math.max(value, -70.0);
  }

  public double targetLufs() {
    return targetLufs;
  }
}
