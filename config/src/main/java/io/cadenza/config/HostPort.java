package io.cadenza.config;

import java.net.InetSocketAddress;

/** A host and port from a {@code host:port} setting. */
public record HostPort(String host, int port) {

  public InetSocketAddress toSocketAddress() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
