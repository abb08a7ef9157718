package io.cadenza.config.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.HostPort;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How a Cadenza process connects to ScyllaDB: the contact points, data centre and request timeout
 * of {@code cadenza.cql}, and reconnection while the cluster is not up yet. Shared by the node and
 * the standalone processes (the listening sink) so they connect alike.
 */
public final class CqlSessions {

  private CqlSessions() {}

  /**
   * A session builder for the settings; {@code sessionName} names the session in the driver's logs
   * and metrics (the node's or process's name).
   */
  public static CqlSessionBuilder builder(CadenzaSettings.Cql settings, String sessionName) {
    CqlSessionBuilder builder =
        CqlSession.builder()
            .withLocalDatacenter(settings.localDatacenter())
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, settings.requestTimeout())
                    .withDuration(
                        DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                    .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, true)
                    .withString(DefaultDriverOption.SESSION_NAME, sessionName)
                    .build());
    for (HostPort point : settings.contactPoints()) {
      builder.addContactPoint(new InetSocketAddress(point.host(), point.port()));
    }
    return builder;
  }
}
