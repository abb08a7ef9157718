package io.cadenza.media.ingest;

import io.cadenza.media.Rendition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes a source's renditions in a work folder with ONE ffmpeg process (decoding once): the HLS
 * ladder of AAC-LC 64/128/256 kbit/s in fMP4 segments with one master playlist, the lossless FLAC
 * file and a progressive M4A (AAC 128 kbit/s, moov first). The folder's layout below the track's
 * store folder is that of {@code MediaKeys}:
 *
 * <pre>
 * hls/master.m3u8
 * hls/aac-64/playlist.m3u8, init.mp4, seg-00001.m4s ...
 * track.flac, track.m4a, cover.jpg (when the source has cover art)
 * </pre>
 *
 * Blocking.
 */
public final class Transcoder {

  /** The ladder's variants: name and nominal AAC bitrate. */
  public static final Map<String, Integer> LADDER;

  static {
    Map<String, Integer> ladder = new LinkedHashMap<>();
    ladder.put("aac-64", 64_000);
    ladder.put("aac-128", 128_000);
    ladder.put("aac-256", 256_000);
    LADDER = java.util.Collections.unmodifiableMap(ladder);
  }

  /** Premium renditions are those above this bitrate, and the lossless one. */
  static final int FREE_MAX_BITRATE = 128_000;

  /** The AAC encoder's priming: ffmpeg's AAC encoder puts one frame (1024 samples) first. */
  public static final int AAC_PRIMING_SAMPLES = 1024;

  public static final int AAC_SAMPLE_RATE = 44_100;

  static final String AAC_CODECS = "mp4a.40.2";

  private static final Pattern STREAM_INF =
      Pattern.compile("#EXT-X-STREAM-INF:.*?BANDWIDTH=(\\d+).*\\n\\s*([^\\n]+)/playlist\\.m3u8");
  private static final Pattern MAP_URI = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"");

  /** The renditions made, relative paths of every file, and the premium rule applied. */
  public record Output(Path folder, List<Path> files, List<RenditionFile> renditions) {}

  /** A rendition whose {@code key} is still relative to the track's folder. */
  public record RenditionFile(
      String name,
      Rendition.Kind kind,
      String codecs,
      int bitrate,
      long sizeBytes,
      String path,
      boolean premium) {

    public Rendition under(String trackFolder) {
      return new Rendition(name, kind, codecs, bitrate, sizeBytes, trackFolder + path, premium);
    }
  }

  private final String ffmpeg;
  private final Duration segmentDuration;

  public Transcoder(String ffmpeg, Duration segmentDuration) {
    if (segmentDuration.toMillis() < 4000 || segmentDuration.toMillis() > 6000) {
      throw new IllegalArgumentException("segment-duration must be 4 s to 6 s: " + segmentDuration);
    }
    this.ffmpeg = ffmpeg;
    this.segmentDuration = segmentDuration;
  }

  /** The deadline of one transcode: generous, yet one that a hung ffmpeg cannot outlive. */
  public static Duration timeoutFor(long durationMs) {
    return Duration.ofSeconds(120).plusMillis(durationMs * 3);
  }

  public Output transcode(Path source, ProbeResult probe, Path folder) throws IOException {
    Path hls = folder.resolve("hls");
    for (String variant : LADDER.keySet()) {
      Files.createDirectories(hls.resolve(variant));
    }
    List<String> command = new ArrayList<>(command(source, folder));
    Processes.Result result = Processes.run(command, timeoutFor(probe.durationMs()));
    if (!result.ok()) {
      throw new IOException("ffmpeg could not transcode: " + result.stderrTail());
    }
    if (probe.hasArtwork()) {
      extractCover(source, probe.artworkStream(), folder.resolve("cover.jpg"));
    }
    List<RenditionFile> renditions = new ArrayList<>();
    String master = Files.readString(hls.resolve("master.m3u8"), StandardCharsets.UTF_8);
    Map<String, Integer> bandwidths = bandwidths(master);
    for (String variant : LADDER.keySet()) {
      Path dir = hls.resolve(variant);
      renameInit(dir);
      Integer bandwidth = bandwidths.get(variant);
      if (bandwidth == null) {
        throw new IOException("the master playlist lacks the variant " + variant);
      }
      long size = 0;
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (!f.getFileName().toString().endsWith(".m3u8")) {
            size += Files.size(f);
          }
        }
      }
      renditions.add(
          new RenditionFile(
              variant,
              Rendition.Kind.HLS,
              AAC_CODECS,
              bandwidth,
              size,
              "hls/" + variant + "/playlist.m3u8",
              LADDER.get(variant) > FREE_MAX_BITRATE));
    }
    renditions.add(file(folder, "flac", "flac", "track.flac", probe.durationMs(), true));
    renditions.add(file(folder, "m4a", AAC_CODECS, "track.m4a", probe.durationMs(), false));
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(folder)) {
      all.filter(Files::isRegularFile).map(folder::relativize).sorted().forEach(files::add);
    }
    return new Output(folder, files, renditions);
  }

  List<String> command(Path source, Path folder) {
    String seconds = String.valueOf(Math.max(1, Math.round(segmentDuration.toMillis() / 1000.0)));
    List<String> c = new ArrayList<>();
    c.addAll(List.of(ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-v", "error", "-y"));
    c.addAll(List.of("-i", source.toString()));
    // 1. The HLS ladder: three AAC encodes of the first audio stream, one playlist each.
    StringBuilder streamMap = new StringBuilder();
    int i = 0;
    for (Map.Entry<String, Integer> variant : LADDER.entrySet()) {
      c.addAll(List.of("-map", "0:a:0"));
      c.addAll(List.of("-b:a:" + i, variant.getValue() / 1000 + "k"));
      streamMap
          .append(i == 0 ? "" : " ")
          .append("a:")
          .append(i)
          .append(",name:")
          .append(variant.getKey());
      i++;
    }
    c.addAll(aac());
    c.addAll(
        List.of(
            "-f",
            "hls",
            "-hls_time",
            seconds,
            "-hls_playlist_type",
            "vod",
            "-hls_segment_type",
            "fmp4",
            "-hls_flags",
            "independent_segments",
            "-start_number",
            "1",
            "-hls_segment_filename",
            folder.resolve("hls/%v/seg-%05d.m4s").toString(),
            "-master_pl_name",
            "master.m3u8",
            "-var_stream_map",
            streamMap.toString(),
            folder.resolve("hls/%v/playlist.m3u8").toString()));
    // 2. FLAC, lossless, at the source's rate and channels.
    c.addAll(List.of("-map", "0:a:0", "-map_metadata", "-1", "-c:a", "flac"));
    c.add(folder.resolve("track.flac").toString());
    // 3. The progressive M4A, index first for playback before the whole file arrived.
    c.addAll(List.of("-map", "0:a:0", "-b:a", "128k"));
    c.addAll(aac());
    c.addAll(List.of("-movflags", "+faststart", folder.resolve("track.m4a").toString()));
    return c;
  }

  private static List<String> aac() {
    return List.of(
        "-map_metadata", "-1", "-c:a", "aac", "-ac", "2", "-ar", String.valueOf(AAC_SAMPLE_RATE));
  }

  private void extractCover(Path source, int stream, Path cover) throws IOException {
    Processes.Result result =
        Processes.run(
            List.of(
                ffmpeg,
                "-nostdin",
                "-hide_banner",
                "-v",
                "error",
                "-y",
                "-i",
                source.toString(),
                "-map",
                "0:" + stream,
                "-frames:v",
                "1",
                "-c:v",
                "mjpeg",
                "-q:v",
                "2",
                "-f",
                "image2",
                cover.toString()),
            Duration.ofSeconds(60));
    if (!result.ok()) {
      // Cover art is optional: a broken picture does not fail the ingest.
      Files.deleteIfExists(cover);
    }
  }

  /** ffmpeg names the init segments init_0.mp4 ...; the layout wants init.mp4 in each variant. */
  private static void renameInit(Path variant) throws IOException {
    Path playlist = variant.resolve("playlist.m3u8");
    String text = Files.readString(playlist, StandardCharsets.UTF_8);
    Matcher m = MAP_URI.matcher(text);
    if (!m.find()) {
      throw new IOException("the playlist of " + variant.getFileName() + " has no init segment");
    }
    String init = m.group(1);
    if (!init.equals("init.mp4")) {
      Files.move(variant.resolve(init), variant.resolve("init.mp4"));
      Files.writeString(
          playlist, m.replaceFirst("#EXT-X-MAP:URI=\"init.mp4\""), StandardCharsets.UTF_8);
    }
  }

  /** The BANDWIDTH of each variant of a master playlist, by variant folder name. */
  static Map<String, Integer> bandwidths(String master) {
    Map<String, Integer> out = new LinkedHashMap<>();
    Matcher m = STREAM_INF.matcher(master.replace("\r", ""));
    while (m.find()) {
      out.put(m.group(2).strip(), Integer.parseInt(m.group(1)));
    }
    return out;
  }

  private static RenditionFile file(
      Path folder, String name, String codecs, String path, long durationMs, boolean premium)
      throws IOException {
    long size = Files.size(folder.resolve(path));
    int bitrate = (int) Math.min(Integer.MAX_VALUE, size * 8_000 / Math.max(1, durationMs));
    return new RenditionFile(name, Rendition.Kind.FILE, codecs, bitrate, size, path, premium);
  }
}
