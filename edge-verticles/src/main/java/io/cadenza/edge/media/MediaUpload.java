package io.cadenza.edge.media;

import io.cadenza.config.error.ValidationException;
import io.cadenza.config.id.Base62Id;
import io.cadenza.media.MediaRecord;
import io.cadenza.media.Rendition;
import io.cadenza.media.ingest.IngestService;
import io.cadenza.media.ingest.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code PUT /admin/v1/tracks/{track_id}/media}: the admin API of ingest. The body is the audio
 * file itself (any format ffmpeg reads), streamed to a temporary file (never held in memory), then
 * ingested on the transcode pool: 201 with the media record, 200 when the same content was ingested
 * before, 429 with Retry-After when the pool is saturated, 400 for a file that is not audio, 413
 * above {@code maxBytes}.
 */
public final class MediaUpload {

  private final Vertx vertx;
  private final IngestService ingest;
  private final long maxBytes;

  public MediaUpload(Vertx vertx, IngestService ingest, long maxBytes) {
    this.vertx = vertx;
    this.ingest = ingest;
    this.maxBytes = maxBytes;
  }

  public void handle(RoutingContext ctx) {
    String trackId = ctx.pathParam("track_id");
    if (!Base62Id.isValid(trackId)) {
      ctx.fail(new ValidationException("Invalid track id"));
      return;
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19) {
      if (Long.parseLong(length) > maxBytes) {
        ctx.fail(new HttpException(413, "Request entity too large"));
        return;
      }
    }
    ctx.request().pause();
    Future<String> upload =
        vertx
            .fileSystem()
            .createTempFile("cadenza-upload-", ".audio")
            .compose(
                temp ->
                    vertx
                        .fileSystem()
                        .open(temp, new OpenOptions().setWrite(true).setTruncateExisting(true))
                        .compose(file -> receive(ctx, file))
                        .map(temp)
                        .recover(
                            failure -> delete(temp).compose(v -> Future.failedFuture(failure))));
    upload
        .compose(
            temp ->
                ingest
                    .ingest(
                        new IngestService.Request(
                            Path.of(temp), Optional.of(trackId), ProbeResult.Tags.none()))
                    .eventually(() -> delete(temp)))
        .onSuccess(
            ingested ->
                ctx.response()
                    .setStatusCode(ingested.alreadyIngested() ? 200 : 201)
                    .putHeader("Content-Type", "application/json")
                    .end(json(ingested.record()).encode()))
        .onFailure(ctx::fail);
  }

  /** Pipes the request body into {@code file}, failing with 413 past {@code maxBytes}. */
  private Future<Void> receive(RoutingContext ctx, AsyncFile file) {
    long[] received = {0};
    WriteStream<Buffer> counted =
        new CountingWriteStream(
            file,
            bytes -> {
              received[0] += bytes;
              return received[0] <= maxBytes;
            });
    return ctx.request()
        .pipeTo(counted)
        .recover(
            failure ->
                file.close()
                    .transform(
                        closed ->
                            Future.failedFuture(
                                received[0] > maxBytes
                                    ? new HttpException(413, "Request entity too large")
                                    : failure)));
  }

  private Future<Void> delete(String temp) {
    return vertx.fileSystem().delete(temp).otherwiseEmpty();
  }

  static JsonObject json(MediaRecord record) {
    JsonArray renditions = new JsonArray();
    for (Rendition r : record.renditions()) {
      renditions.add(
          new JsonObject()
              .put("name", r.name())
              .put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT))
              .put("codecs", r.codecs())
              .put("bitrate", r.bitrate())
              .put("size_bytes", r.sizeBytes())
              .put("premium", r.premium()));
    }
    return new JsonObject()
        .put("track_id", record.trackId())
        .put("content_hash", record.contentHash())
        .put("source_format", record.sourceFormat())
        .put("duration_ms", record.durationMs())
        .put(
            "loudness",
            new JsonObject()
                .put("integrated_lufs", record.loudnessLufs())
                .put("gain_db", record.gainDb()))
        .put("encoder_delay_samples", record.encoderDelaySamples())
        .put("padding_samples", record.paddingSamples())
        .put("renditions", renditions)
        .put("ingested_at", record.ingestedAt().toString());
  }

  /** A file write stream that refuses the write past which {@code allow} says no. */
  private static final class CountingWriteStream implements WriteStream<Buffer> {

    private final AsyncFile file;
    private final java.util.function.LongPredicate allow;

    CountingWriteStream(AsyncFile file, java.util.function.LongPredicate allow) {
      this.file = file;
      this.allow = allow;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
      file.exceptionHandler(handler);
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (!allow.test(data.length())) {
        return Future.failedFuture(new HttpException(413, "Request entity too large"));
      }
      return file.write(data);
    }

    @Override
    public Future<Void> end() {
      return file.end();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      file.setWriteQueueMaxSize(maxSize);
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return file.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(io.vertx.core.Handler<Void> handler) {
      file.drainHandler(handler);
      return this;
    }
  }
}
