package io.cadenza.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CqlMediaRepositoryTest {

  @Test
  void renditionsRoundTripThroughTheirJson() {
    List<Rendition> renditions =
        List.of(
            new Rendition(
                "aac-128", Rendition.Kind.HLS, "mp4a.40.2", 140_000, 1234, "k/p.m3u8", false),
            new Rendition("flac", Rendition.Kind.FILE, "flac", 900_000, 99, "k/track.flac", true));
    assertThat(CqlMediaRepository.renditions(CqlMediaRepository.renditionsJson(renditions)))
        .isEqualTo(renditions);
    assertThat(CqlMediaRepository.renditions(null)).isEmpty();
  }
}
