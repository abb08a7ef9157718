package io.cadenza.session;

/**
 * Marker for every message and event that crosses the session cluster. Bound to Jackson CBOR in the
 * Akka settings ({@code cadenza-akka.conf}).
 */
public interface CborSerializable {}
