package io.cadenza.edge.policy;

import io.cadenza.config.CadenzaSettings;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The request body handler of the API: bodies up to {@code cadenza.edge.body-limit} are read into
 * memory; a larger one fails the request with 413 (written by the edge's failure handler). File
 * uploads are off: nothing is ever written to disk.
 */
public final class BodyLimits {

  private BodyLimits() {}

  /** A body handler with the limit of {@code edge}; mount it on the routes that read a body. */
  public static BodyHandler create(CadenzaSettings.Edge edge) {
    return BodyHandler.create(false)
        .setBodyLimit(edge.bodyLimitBytes())
        .setHandleFileUploads(false);
  }
}
