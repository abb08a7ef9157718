package io.cadenza.edge.connect;

import java.time.Duration;

/**
 * The bounds of one device socket.
 *
 * @param maxFrameBytes the largest text message a device may send (larger: close 1009)
 * @param helloTimeout how long a new socket may take to send {@code hello}
 * @param pingInterval how often the server pings, and reports the device's heartbeat to its session
 * @param silentTimeout a device heard of (frames or pongs) for no longer than this is offline
 * @param maxBadFrames bad frames answered with error frames before the socket is closed (4000)
 * @param framesPerSecond the sustained frame rate a device may send
 * @param frameBurst the burst above it; past twice the burst the socket is closed (4029)
 * @param writeQueueBytes bytes waiting to be written before a socket counts as slow
 * @param slowCloseAfter how long a socket may stay slow before it is closed (4008)
 */
public record GatewayLimits(
    int maxFrameBytes,
    Duration helloTimeout,
    Duration pingInterval,
    Duration silentTimeout,
    int maxBadFrames,
    int framesPerSecond,
    int frameBurst,
    int writeQueueBytes,
    Duration slowCloseAfter) {}
