package io.cadenza.media;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.cadenza.config.cql.Cql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link MediaRepository} on the {@code media} and {@code media_by_hash} tables. */
public final class CqlMediaRepository implements MediaRepository {

  private final Cql cql;
  private final PreparedStatement byTrack;
  private final PreparedStatement byHash;
  private final PreparedStatement insert;
  private final PreparedStatement insertHash;

  private CqlMediaRepository(
      Cql cql,
      PreparedStatement byTrack,
      PreparedStatement byHash,
      PreparedStatement insert,
      PreparedStatement insertHash) {
    this.cql = cql;
    this.byTrack = byTrack;
    this.byHash = byHash;
    this.insert = insert;
    this.insertHash = insertHash;
  }

  public static Future<MediaRepository> create(Cql cql) {
    Future<PreparedStatement> byTrack = cql.prepare("SELECT * FROM %s.media WHERE track_id = ?");
    Future<PreparedStatement> byHash =
        cql.prepare("SELECT track_id FROM %s.media_by_hash WHERE content_hash = ?");
    Future<PreparedStatement> insert =
        cql.prepare(
            "INSERT INTO %s.media (track_id, content_hash, source_format, duration_ms,"
                + " loudness_lufs, gain_db, encoder_delay_samples, padding_samples, renditions,"
                + " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Future<PreparedStatement> insertHash =
        cql.prepare("INSERT INTO %s.media_by_hash (content_hash, track_id) VALUES (?, ?)");
    return Future.all(byTrack, byHash, insert, insertHash)
        .map(
            all ->
                new CqlMediaRepository(
                    cql, byTrack.result(), byHash.result(), insert.result(), insertHash.result()));
  }

  @Override
  public Future<Optional<MediaRecord>> byTrackId(String trackId) {
    return cql.one(byTrack.bind(trackId)).map(row -> Optional.ofNullable(row).map(this::record));
  }

  @Override
  public Future<Optional<String>> trackIdByContentHash(String contentHash) {
    return cql.one(byHash.bind(contentHash))
        .map(row -> Optional.ofNullable(row).map(r -> r.getString("track_id")));
  }

  /** The media row first, then the hash claim: a hash always points at a complete record. */
  @Override
  public Future<Void> save(MediaRecord record) {
    return cql.execute(
            insert.bind(
                record.trackId(),
                record.contentHash(),
                record.sourceFormat(),
                record.durationMs(),
                record.loudnessLufs(),
                record.gainDb(),
                record.encoderDelaySamples(),
                record.paddingSamples(),
                renditionsJson(record.renditions()),
                record.ingestedAt()))
        .compose(done -> cql.execute(insertHash.bind(record.contentHash(), record.trackId())))
        .mapEmpty();
  }

  private MediaRecord record(Row row) {
    return new MediaRecord(
        row.getString("track_id"),
        row.getString("content_hash"),
        row.getString("source_format"),
        row.getLong("duration_ms"),
        row.getDouble("loudness_lufs"),
        row.getDouble("gain_db"),
        row.getInt("encoder_delay_samples"),
        row.getInt("padding_samples"),
        renditions(row.getString("renditions")),
        row.getInstant("ingested_at"));
  }

  static String renditionsJson(List<Rendition> renditions) {
    JsonArray json = new JsonArray();
    for (Rendition r : renditions) {
      json.add(
          new JsonObject()
              .put("name", r.name())
              .put("kind", r.kind().name())
              .put("codecs", r.codecs())
              .put("bitrate", r.bitrate())
              .put("size", r.sizeBytes())
              .put("key", r.key())
              .put("premium", r.premium()));
    }
    return json.encode();
  }

  static List<Rendition> renditions(String json) {
    List<Rendition> renditions = new ArrayList<>();
    if (json == null) {
      return renditions;
    }
    for (Object item : new JsonArray(json)) {
      JsonObject r = (JsonObject) item;
      renditions.add(
          new Rendition(
              r.getString("name"),
              Rendition.Kind.valueOf(r.getString("kind")),
              r.getString("codecs"),
              r.getInteger("bitrate"),
              r.getLong("size"),
              r.getString("key"),
              r.getBoolean("premium")));
    }
    return renditions;
  }
}
