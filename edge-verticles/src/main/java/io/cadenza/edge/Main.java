package io.cadenza.edge;

import ch.qos.logback.classic.LoggerContext;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.InvalidSettingException;
import io.cadenza.config.SettingsLoader;
import io.cadenza.edge.node.CadenzaNode;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Cadenza node until SIGTERM. Exit codes: 2 for invalid settings (one line naming the key
 * on stderr), 1 when start-up fails.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    CadenzaSettings settings;
    try {
      settings = SettingsLoader.load();
    } catch (InvalidSettingException e) {
      // One plain line for the operator, before any logging set-up could bury it.
      System.err.println("cadenza: " + e.getMessage());
      System.exit(2);
      return;
    }
    CadenzaNode node;
    try {
      node =
          CadenzaNode.start(settings)
              .toCompletionStage()
              .toCompletableFuture()
              .get(settings.node().startupTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.error("Cadenza node failed to start: {}", cause.getMessage(), cause);
      System.err.println("cadenza: start-up failed: " + cause.getMessage());
      stopLogging();
      System.exit(1);
      return;
    }
    node.onJvmShutdown(() -> shutDown(node, settings));
  }

  private static void shutDown(CadenzaNode node, CadenzaSettings settings) {
    long budget = settings.node().shutdownTimeout().toMillis();
    LOG.info("Stopping Cadenza node {} (budget {} ms).", settings.node().name(), budget);
    try {
      node.stop().toCompletionStage().toCompletableFuture().get(budget, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("Cadenza node did not stop cleanly within {} ms: {}", budget, e.toString());
    } finally {
      stopLogging();
    }
  }

  private static void stopLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
