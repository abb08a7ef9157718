package io.cadenza.session.failover;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.SettingsLoader;
import io.cadenza.session.CqlLease;
import io.cadenza.session.SessionCluster;
import java.time.Duration;

/**
 * A session-cluster node in a JVM of its own, for {@link TwoNodeFailoverIT} to kill -9: settings
 * from the CADENZA_* environment, the node's CqlSession handed to the lease, the probe entity.
 */
public final class ProbeNodeMain {

  private ProbeNodeMain() {}

  public static void main(String[] args) throws Exception {
    CadenzaSettings settings = SettingsLoader.load();
    CqlSession session = TwoNodeFailoverIT.connect(settings);
    SessionCluster node = SessionCluster.start(settings);
    CqlLease.provideSession(node.system(), session);
    WhereProbe.initSharding(node.system());
    node.whenUp(Duration.ofSeconds(60)).toCompletableFuture().join();
    // The test waits for this line on standard output.
    System.out.println("PROBE-NODE-UP " + node.selfAddress());
    System.out.flush();
    Thread.currentThread().join();
  }
}
