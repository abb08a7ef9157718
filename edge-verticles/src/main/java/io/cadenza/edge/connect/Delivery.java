package io.cadenza.edge.connect;

/**
 * A session state as the user's sockets on one verticle get it: made once per change, the same text
 * for every socket.
 *
 * @param version the state's version
 * @param activeDeviceId the active device, or null
 * @param devicesFrame the {@code devices} frame's text
 * @param stateFrame the {@code state} frame's text
 */
record Delivery(long version, String activeDeviceId, String devicesFrame, String stateFrame) {}
