package io.cadenza.edge;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own (the OS package) on a loopback port, for tests that stop, freeze
 * or restart Redis without disturbing the shared test stack.
 */
public final class OwnRedis {

  private final int port;
  private final String log;
  private Process process;

  /** A server for {@code port}, logging to {@code target/<log>.log}; not started yet. */
  public OwnRedis(int port, String log) {
    this.port = port;
    this.log = log;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (no persistence) and waits until it accepts connections. */
  public void start() throws IOException {
    process =
        new ProcessBuilder(
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/" + log + ".log")))
            .start();
    await().atMost(Duration.ofSeconds(10)).until(this::accepts);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s); nothing when it is not running. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    process = null;
  }

  /** The server's pid (it must be running). */
  public long pid() {
    return process.pid();
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
