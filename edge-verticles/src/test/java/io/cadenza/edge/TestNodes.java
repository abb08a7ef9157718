package io.cadenza.edge;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.ConfigFactory;
import io.cadenza.config.CadenzaSettings;
import io.cadenza.config.SettingsLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Settings and helpers for tests that start nodes against the test stack: the stack's addresses
 * come from the CADENZA_* environment (as for a real node); ports, names and the keyspace are made
 * unique per test so nodes never collide.
 */
public final class TestNodes {

  public static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A fixed test key, so tests can mint and inspect tokens. */
  public static final String SIGNING_KEYS =
      "test1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

  private TestNodes() {}

  /** Per-test overrides as environment variables (for nodes started in a child process). */
  public static Map<String, String> environment(String name) {
    Map<String, String> env = new HashMap<>();
    env.put("CADENZA_NODE_NAME", name + "-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("CADENZA_HTTP_PORT", String.valueOf(freePort()));
    env.put("CADENZA_AKKA_PORT", "0");
    env.put("CADENZA_AUTH_SIGNING_KEYS", SIGNING_KEYS);
    env.put("CADENZA_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("CADENZA_HAZELCAST_PORT", String.valueOf(freePort()));
    env.put(
        "CADENZA_MEDIA_DIR",
        java.nio.file.Path.of("target", "it-media-" + name).toAbsolutePath().toString());
    env.put(
        "CADENZA_SEARCH_DIR",
        java.nio.file.Path.of("target", "it-search").toAbsolutePath().toString());
    env.put(
        "CADENZA_CQL_KEYSPACE",
        "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    return env;
  }

  /** Settings for an in-process node; {@code extra} overrides system-property style keys. */
  public static CadenzaSettings settings(String name, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(environment(name));
    return SettingsLoader.load(env, ConfigFactory.parseMap(extra));
  }

  /** Drops a test keyspace, waiting as long as a schema change may take. */
  public static void dropKeyspace(CqlSession session, String keyspace) {
    session.execute(
        SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
            .setTimeout(Duration.ofSeconds(60)));
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The status of GET url, or -1 when nothing answers. */
  public static int statusOf(String url) {
    try {
      return get(url).statusCode();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }
}
