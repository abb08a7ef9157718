package io.cadenza.catalog.search.internal;

import io.cadenza.catalog.search.IndexedAlbum;
import io.cadenza.catalog.search.IndexedArtist;
import io.cadenza.catalog.search.IndexedTrack;
import io.cadenza.catalog.search.ItemType;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;

/** Maps the index's input records to Lucene documents. */
final class Documents {

  private Documents() {}

  static Term key(ItemType type, String id) {
    return new Term(Fields.KEY, type.key() + ":" + id);
  }

  static Document artist(IndexedArtist artist, int epoch) {
    Document doc = common(ItemType.ARTIST, artist.id(), artist.name(), artist.popularity(), epoch);
    genres(doc, artist.genres());
    return doc;
  }

  static Document album(IndexedAlbum album, int epoch) {
    Document doc = common(ItemType.ALBUM, album.id(), album.name(), album.popularity(), epoch);
    artists(doc, album.artistNames());
    release(doc, album.releaseDate());
    genres(doc, album.genres());
    if (album.upc() != null && !album.upc().isBlank()) {
      doc.add(new StringField(Fields.UPC, Text.code(album.upc()), Field.Store.NO));
    }
    return doc;
  }

  static Document track(IndexedTrack track, int epoch) {
    Document doc = common(ItemType.TRACK, track.id(), track.name(), track.popularity(), epoch);
    artists(doc, track.artistNames());
    if (track.albumName() != null && !track.albumName().isBlank()) {
      doc.add(new Field(Fields.ALBUM, track.albumName(), Fields.WORDS));
      doc.add(new Field(Fields.ALBUM_PREFIX, track.albumName(), Fields.TERMS));
      doc.add(new StringField(Fields.ALBUM_EXACT, Text.compact(track.albumName()), Field.Store.NO));
    }
    release(doc, track.releaseDate());
    genres(doc, track.genres());
    if (track.isrc() != null && !track.isrc().isBlank()) {
      doc.add(new StringField(Fields.ISRC, Text.code(track.isrc()), Field.Store.NO));
    }
    return doc;
  }

  private static Document common(ItemType type, String id, String name, int popularity, int epoch) {
    Document doc = new Document();
    doc.add(new StringField(Fields.KEY, key(type, id).text(), Field.Store.NO));
    doc.add(new StringField(Fields.KIND, type.key(), Field.Store.YES));
    doc.add(new StoredField(Fields.ID, id));
    doc.add(new Field(Fields.NAME, name, Fields.WORDS));
    doc.add(new StoredField(Fields.NAME, name));
    doc.add(new Field(Fields.NAME_PREFIX, name, Fields.TERMS));
    String compact = Text.compact(name);
    doc.add(new Field(Fields.NAME_START, compact, Fields.TERMS));
    doc.add(new StringField(Fields.NAME_EXACT, compact, Field.Store.NO));
    // FeatureField wants a positive value: popularity 0 is stored as 1.
    doc.add(new FeatureField(Fields.FEATURES, Fields.POPULARITY, 1 + popularity));
    doc.add(new IntPoint(Fields.EPOCH, epoch));
    return doc;
  }

  private static void artists(Document doc, List<String> names) {
    for (String name : names) {
      doc.add(new Field(Fields.ARTIST, name, Fields.WORDS));
      doc.add(new Field(Fields.ARTIST_PREFIX, name, Fields.TERMS));
      doc.add(new StringField(Fields.ARTIST_EXACT, Text.compact(name), Field.Store.NO));
    }
  }

  private static void genres(Document doc, List<String> genres) {
    for (String genre : genres) {
      doc.add(new StringField(Fields.GENRE, Text.keyword(genre), Field.Store.NO));
    }
  }

  private static void release(Document doc, String releaseDate) {
    if (releaseDate == null) {
      return;
    }
    doc.add(new IntPoint(Fields.YEAR, ReleaseDates.year(releaseDate)));
    if (releaseDate.length() < 10) {
      // A release known only to the year or month cannot be said to be from the last two weeks.
      return;
    }
    doc.add(
        new IntPoint(
            Fields.RELEASED, Math.toIntExact(ReleaseDates.firstDay(releaseDate).toEpochDay())));
  }
}
