package io.cadenza.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up refuses bad settings before touching anything, naming the key. */
class MainTest {

  private static Process launch(List<String> jvmArgs, String envName, String envValue)
      throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (envName != null) {
      builder.environment().put(envName, envValue);
    }
    return builder.start();
  }

  @Test
  void aBadSystemPropertyStopsStartUpWithOneLineNamingTheKey() throws Exception {
    Process process = launch(List.of("-Dcadenza.http.port=70000"), null, null);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output.strip())
        .isEqualTo(
            "cadenza: invalid setting cadenza.http.port: must be a whole number from 0 to 65535"
                + " (given: \"70000\")");
  }

  @Test
  void aBadEnvironmentValueStopsStartUpNamingTheKey() throws Exception {
    Process process = launch(List.of(), "CADENZA_REDIS_URL", "localhost");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).contains("cadenza.redis.url").contains("redis://");
  }
}
