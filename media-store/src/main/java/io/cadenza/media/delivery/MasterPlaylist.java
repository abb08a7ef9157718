package io.cadenza.media.delivery;

import io.cadenza.media.MediaRecord;
import io.cadenza.media.Rendition;
import io.cadenza.media.store.MediaKeys;
import java.util.Comparator;
import java.util.List;

/**
 * The HLS master playlist of a track for one tier, generated from its {@link MediaRecord}: only the
 * variants the tier may play, lowest bitrate first, each by its URI relative to the master (so
 * {@code aac-128/playlist.m3u8} resolves under the same signed token).
 */
final class MasterPlaylist {

  private MasterPlaylist() {}

  /** The variants of {@code record} that {@code tier} may play, lowest bitrate first. */
  static List<Rendition> variants(MediaRecord record, Tier tier) {
    String folder = MediaKeys.track(record.contentHash());
    return record.renditions().stream()
        .filter(r -> r.kind() == Rendition.Kind.HLS)
        .filter(r -> tier.plays(r.premium()))
        .filter(r -> r.key().startsWith(folder + "hls/"))
        .filter(r -> tier.allows(r.key().substring(folder.length())))
        .sorted(Comparator.comparingInt(Rendition::bitrate))
        .toList();
  }

  static String of(MediaRecord record, Tier tier) {
    String hls = MediaKeys.track(record.contentHash()) + "hls/";
    StringBuilder m3u8 =
        new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (Rendition variant : variants(record, tier)) {
      m3u8.append("#EXT-X-STREAM-INF:BANDWIDTH=")
          .append(variant.bitrate())
          .append(",CODECS=\"")
          .append(variant.codecs().replace("\"", ""))
          .append("\"\n")
          .append(variant.key().substring(hls.length()))
          .append('\n');
    }
    return m3u8.toString();
  }
}
