package io.cadenza.media.ingest;

import io.cadenza.config.error.ValidationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a source file with ffprobe ({@code -print_format json -show_format -show_streams}).
 * Blocking.
 */
public final class Probe {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern LEADING_NUMBER = Pattern.compile("\\s*(\\d+)");

  private final String ffprobe;

  public Probe(String ffprobe) {
    this.ffprobe = ffprobe;
  }

  /**
   * Probes {@code file}.
   *
   * @throws ValidationException when the file is not audio ffprobe can read (corrupt, empty, a
   *     picture, a video without sound)
   */
  public ProbeResult probe(Path file) throws IOException {
    Processes.Result result =
        Processes.run(
            List.of(
                ffprobe,
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                file.toString()),
            TIMEOUT);
    if (!result.ok()) {
      throw new ValidationException(
          "not a readable audio file: " + file.getFileName() + " (" + result.stderrTail() + ")");
    }
    return parse(result.stdout(), file.getFileName().toString());
  }

  /** The probe of ffprobe's JSON; {@code name} names the file in errors. */
  static ProbeResult parse(String json, String name) {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (DecodeException e) {
      throw new ValidationException("not a readable audio file: " + name + " (no probe output)");
    }
    JsonObject format = Optional.ofNullable(root.getJsonObject("format")).orElse(new JsonObject());
    JsonArray streams = Optional.ofNullable(root.getJsonArray("streams")).orElse(new JsonArray());
    JsonObject audio = null;
    int artwork = -1;
    for (int i = 0; i < streams.size(); i++) {
      JsonObject stream = streams.getJsonObject(i);
      String type = stream.getString("codec_type", "");
      boolean attachedPic =
          Optional.ofNullable(stream.getJsonObject("disposition"))
                  .map(d -> d.getInteger("attached_pic", 0))
                  .orElse(0)
              == 1;
      if ("audio".equals(type) && audio == null) {
        audio = stream;
      } else if ("video".equals(type) && attachedPic && artwork < 0) {
        artwork = stream.getInteger("index", i);
      }
    }
    if (audio == null) {
      throw new ValidationException("not an audio file: " + name + " has no audio stream");
    }
    double seconds = number(audio.getString("duration")).orElse(-1.0);
    if (seconds <= 0) {
      seconds = number(format.getString("duration")).orElse(-1.0);
    }
    if (seconds <= 0) {
      throw new ValidationException("not a playable audio file: " + name + " has no duration");
    }
    int sampleRate = number(audio.getString("sample_rate")).map(Double::intValue).orElse(0);
    if (sampleRate <= 0) {
      throw new ValidationException("not a playable audio file: " + name + " has no sample rate");
    }
    long bitRate =
        number(audio.getString("bit_rate"))
            .or(() -> number(format.getString("bit_rate")))
            .map(Double::longValue)
            .orElse(0L);
    return new ProbeResult(
        format.getString("format_name", "unknown"),
        audio.getString("codec_name", "unknown"),
        Math.round(seconds * 1000),
        sampleRate,
        audio.getInteger("channels", 0),
        bitRate,
        tags(format, audio),
        artwork,
        encoderDelay(audio, sampleRate),
        0);
  }

  /**
   * The encoder delay in samples: the stream's {@code initial_padding} (Opus pre-skip, AAC priming)
   * when set, else a positive {@code start_time} (MP3 with a LAME tag starts after the decoder's
   * delay), else 0 (unknown).
   */
  private static int encoderDelay(JsonObject audio, int sampleRate) {
    int padding = audio.getInteger("initial_padding", 0);
    if (padding > 0) {
      return padding;
    }
    double start = number(audio.getString("start_time")).orElse(0.0);
    return start > 0 ? (int) Math.round(start * sampleRate) : 0;
  }

  /** Format tags, then stream tags (Ogg keeps them on the stream), keys compared in lower case. */
  private static ProbeResult.Tags tags(JsonObject format, JsonObject audio) {
    Map<String, String> tags = new HashMap<>();
    for (JsonObject source :
        new JsonObject[] {audio.getJsonObject("tags"), format.getJsonObject("tags")}) {
      if (source != null) {
        source.forEach(
            e -> {
              if (e.getValue() instanceof String value && !value.isBlank()) {
                tags.put(e.getKey().toLowerCase(Locale.ROOT), value.strip());
              }
            });
      }
    }
    return new ProbeResult.Tags(
        first(tags, "title"),
        first(tags, "artist"),
        first(tags, "album"),
        first(tags, "album_artist", "albumartist", "album artist"),
        first(tags, "genre"),
        first(tags, "track", "tracknumber").flatMap(Probe::leadingNumber),
        first(tags, "disc", "discnumber").flatMap(Probe::leadingNumber),
        first(tags, "date", "year"),
        first(tags, "isrc", "tsrc"));
  }

  private static Optional<String> first(Map<String, String> tags, String... keys) {
    for (String key : keys) {
      String value = tags.get(key);
      if (value != null) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** {@code 3/12} or {@code 03} to 3. */
  private static Optional<Integer> leadingNumber(String value) {
    Matcher m = LEADING_NUMBER.matcher(value);
    if (m.lookingAt()) {
      try {
        return Optional.of(Integer.parseInt(m.group(1)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Optional<Double> number(String value) {
    if (value == null || value.isBlank() || "N/A".equals(value)) {
      return Optional.empty();
    }
    try {
      double d = Double.parseDouble(value);
      return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
