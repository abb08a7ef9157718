package io.cadenza.edge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cadenza.edge.TestNodes;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runnable node as an operator runs it: a JVM started from Main, stopped with SIGTERM. */
class NodeProcessIT {

  @Test
  void sigtermStopsTheNodeInOrderWithinTenSeconds() throws Exception {
    Map<String, String> env = TestNodes.environment("process-it");
    Path log = Files.createTempFile(Path.of("target"), "node-process-it", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + new File("../bin/node-jvm.options").getAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.cadenza.edge.Main");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("CADENZA_LOG_FORMAT", "text");
    Process process = builder.start();
    String ready = "http://127.0.0.1:" + env.get("CADENZA_HTTP_PORT") + "/ready";
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .failFast(() -> !process.isAlive())
          .until(() -> TestNodes.statusOf(ready) == 200);

      long sent = System.nanoTime();
      process.destroy(); // SIGTERM
      boolean exited = process.waitFor(10, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - sent) / 1_000_000;

      String output = Files.readString(log);
      assertThat(exited).as("exited within 10 s of SIGTERM; log:\n" + output).isTrue();
      assertThat(TestNodes.statusOf(ready)).isEqualTo(-1);
      assertThat(output)
          .as("stopped after %d ms", tookMs)
          .contains("Stopping Cadenza node")
          .contains("stopped.");
      assertThat(output).doesNotContain("did not stop cleanly");
    } finally {
      process.destroyForcibly();
    }
  }
}
