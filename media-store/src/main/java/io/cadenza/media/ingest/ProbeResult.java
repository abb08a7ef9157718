package io.cadenza.media.ingest;

import java.util.Optional;

/**
 * What ffprobe tells of a source file.
 *
 * @param formatName the container, e.g. {@code mp3}, {@code flac}, {@code ogg}
 * @param codec the first audio stream's codec, e.g. {@code mp3}, {@code opus}
 * @param durationMs the audio's duration
 * @param artworkStream the index of an attached picture (cover art) stream, or -1
 * @param encoderDelaySamples samples the source's encoder put before the audio (from the stream's
 *     {@code initial_padding} or a positive {@code start_time}, e.g. MP3's LAME tag), 0 when
 *     unknown
 * @param paddingSamples samples after the audio; ffprobe does not report it, so 0 (unknown)
 */
public record ProbeResult(
    String formatName,
    String codec,
    long durationMs,
    int sampleRate,
    int channels,
    long bitRate,
    Tags tags,
    int artworkStream,
    int encoderDelaySamples,
    int paddingSamples) {

  public boolean hasArtwork() {
    return artworkStream >= 0;
  }

  /** Tags of the file; each absent when the file does not say. */
  public record Tags(
      Optional<String> title,
      Optional<String> artist,
      Optional<String> album,
      Optional<String> albumArtist,
      Optional<String> genre,
      Optional<Integer> trackNumber,
      Optional<Integer> discNumber,
      Optional<String> date,
      Optional<String> isrc) {

    public static Tags none() {
      Optional<String> e = Optional.empty();
      return new Tags(e, e, e, e, e, Optional.empty(), Optional.empty(), e, e);
    }

    /** These tags with every value {@code overrides} has put in their place. */
    public Tags overriddenBy(Tags overrides) {
      return new Tags(
          overrides.title.or(() -> title),
          overrides.artist.or(() -> artist),
          overrides.album.or(() -> album),
          overrides.albumArtist.or(() -> albumArtist),
          overrides.genre.or(() -> genre),
          overrides.trackNumber.or(() -> trackNumber),
          overrides.discNumber.or(() -> discNumber),
          overrides.date.or(() -> date),
          overrides.isrc.or(() -> isrc));
    }
  }
}
