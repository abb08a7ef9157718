package io.cadenza.media.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cadenza.config.id.Base62Id;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCatalogTest {

  private static final JsonObject CHINOOK =
      new JsonObject(
          """
          {
            "Genre": [{"GenreId": 1, "Name": "Rock"}, {"GenreId": 2, "Name": "Jazz"}],
            "Artist": [{"ArtistId": 1, "Name": "AC/DC"}, {"ArtistId": 2, "Name": "Accept"}],
            "Album": [
              {"AlbumId": 3, "Title": "Restless and Wild", "ArtistId": 2},
              {"AlbumId": 1, "Title": "For Those About To Rock", "ArtistId": 1},
              {"AlbumId": 2, "Title": "Empty", "ArtistId": 2},
              {"AlbumId": 4, "Title": "Let There Be Rock", "ArtistId": 1}
            ],
            "Track": [
              {"TrackId": 7, "Name": "Fast As a Shark", "AlbumId": 3, "GenreId": 1,
               "Milliseconds": 230619},
              {"TrackId": 6, "Name": "Put The Finger On You", "AlbumId": 1, "GenreId": 1,
               "Milliseconds": 205662},
              {"TrackId": 1, "Name": "For Those About To Rock", "AlbumId": 1, "GenreId": 1,
               "Milliseconds": 343719},
              {"TrackId": 9, "Name": "Interlude", "AlbumId": 4, "GenreId": 2,
               "Milliseconds": 4500}
            ]
          }
          """);

  @Test
  void takesTheFirstAlbumsWithTracksByAlbumIdAndNumbersTracksWithinTheAlbum() {
    List<DemoCatalog.DemoTrack> tracks = DemoCatalog.select(CHINOOK, 2);

    assertThat(tracks)
        .extracting(DemoCatalog.DemoTrack::trackId, DemoCatalog.DemoTrack::trackNumber)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 1),
            org.assertj.core.groups.Tuple.tuple(6L, 2),
            org.assertj.core.groups.Tuple.tuple(7L, 1));
    assertThat(tracks.get(2).artist()).isEqualTo("Accept");
    assertThat(tracks.get(2).album()).isEqualTo("Restless and Wild");
    assertThat(tracks.get(2).genre()).isEqualTo("Rock");
  }

  @Test
  void fullTakesEveryTrack() {
    assertThat(DemoCatalog.select(CHINOOK, Integer.MAX_VALUE))
        .extracting(DemoCatalog.DemoTrack::trackId)
        .containsExactly(1L, 6L, 7L, 9L);
  }

  @Test
  void clipsAreTheTrackLengthAtMostThirtySeconds() {
    List<DemoCatalog.DemoTrack> tracks = DemoCatalog.select(CHINOOK, Integer.MAX_VALUE);

    assertThat(tracks.get(0).clipSeconds()).isEqualTo(30.0);
    assertThat(tracks.get(3).clipSeconds()).isEqualTo(4.5);
  }

  @Test
  void mappingLineCarriesTheChinookMetadataAndTheSharedTrackId() {
    DemoCatalog.DemoTrack track = DemoCatalog.select(CHINOOK, 1).get(1);

    assertThat(track.mappingLine())
        .isEqualTo(
            new JsonObject()
                .put("file", "chinook-6.mp3")
                .put("track_id", Base62Id.named("chinook:track:6"))
                .put("title", "Put The Finger On You")
                .put("artist", "AC/DC")
                .put("album", "For Those About To Rock")
                .put("genre", "Rock")
                .put("track_number", 2)
                .put("disc_number", 1));
    assertThat(track.speech())
        .isEqualTo("Put The Finger On You, by AC/DC, from For Those About To Rock");
  }

  @Test
  void theMappingReadsBackThroughTheIngestCommand() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("demo-catalog");
    DemoCatalog.DemoTrack track = DemoCatalog.select(CHINOOK, 1).get(0);
    Path mapping = dir.resolve("mapping.jsonl");
    java.nio.file.Files.writeString(mapping, track.mappingLine().encode() + "\n");

    IngestCommand.Mapped mapped =
        IngestCommand.readMapping(mapping).get(dir.resolve("chinook-1.mp3"));

    assertThat(mapped.trackId()).contains(Base62Id.named("chinook:track:1"));
    assertThat(mapped.overrides().title()).contains("For Those About To Rock");
    assertThat(mapped.overrides().trackNumber()).contains(1);
  }
}
