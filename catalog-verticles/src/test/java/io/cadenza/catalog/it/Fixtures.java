package io.cadenza.catalog.it;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Image;
import io.cadenza.catalog.model.Track;
import io.cadenza.config.id.Base62Id;
import java.util.List;

/** Entities with fresh random ids, so tests never meet each other's rows or events. */
final class Fixtures {

  private Fixtures() {}

  static Artist artist(String name, List<String> genres, int popularity) {
    return new Artist(
        Base62Id.random(),
        name,
        genres,
        popularity,
        List.of(new Image("https://img.example/" + name + ".jpg", 640, 640)));
  }

  static Album album(Artist artist, String name, String date, String precision, int tracks) {
    return new Album(
        Base62Id.random(),
        name,
        "album",
        List.of(artist.id()),
        date,
        precision,
        tracks,
        artist.genres(),
        artist.popularity(),
        List.of());
  }

  static Track track(Album album, int disc, int number, int popularity) {
    return new Track(
        Base62Id.random(),
        album.name() + " " + disc + "-" + number,
        album.id(),
        album.artistIds(),
        disc,
        number,
        180_000 + number,
        number % 2 == 0,
        "GBAYE" + String.format("%07d", number + 100 * disc),
        album.genres(),
        popularity);
  }
}
