package io.cadenza.catalog.load;

import io.cadenza.catalog.model.Album;
import io.cadenza.catalog.model.Artist;
import io.cadenza.catalog.model.Track;

/** Where a catalog source hands its entities, artists before their albums before their tracks. */
public interface CatalogSink {

  void artist(Artist artist);

  void album(Album album);

  void track(Track track);
}
