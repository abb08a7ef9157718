package io.cadenza.media.store;

/** An object in the store: its key, size in bytes and a strong ETag (quoted, as HTTP sends it). */
public record StoredObject(String key, long size, String etag) {}
