package io.scriptohio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up of the real process: invalid configuration must stop it with a message per variable. */
class MainTest {

  private record Outcome(int exitCode, String stderr) {
  }

  private static Outcome run(Map<String, String> env, String... args) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().keySet().removeIf(name -> name.startsWith("CFBD_") || name.equals("MOCK_DATA_PATH")
        || name.equals("REDIS_URL") || name.equals("CACHE_TYPE"));
    builder.environment().putAll(env);
    builder.directory(new File("."));
    Process process = builder.start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process ended").isTrue();
    return new Outcome(process.exitValue(), stderr);
  }

  @Test
  void serve_invalidVariablesExitWithMessages() throws Exception {
    Outcome outcome = run(Map.of(
        "CFBD_API_KEY", "too-short-secret",
        "CFBD_RATE_LIMIT_DELAY", "9",
        "MAX_CONCURRENT_REQUESTS", "0",
        "CACHE_TYPE", "memcached"));

    assertThat(outcome.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(outcome.stderr())
        .contains("CFBD_RATE_LIMIT_DELAY='9' is invalid: expected a number from 0.1 to 5 seconds")
        .contains("MAX_CONCURRENT_REQUESTS='0' is invalid: expected an integer from 1 to 20")
        .contains("CACHE_TYPE='memcached' is invalid: expected one of local, redis")
        .contains("CFBD_API_KEY=(value hidden) is invalid")
        .doesNotContain("too-short-secret");
  }

  @Test
  void serve_noDataSourceExits() throws Exception {
    Outcome outcome = run(Map.of());

    assertThat(outcome.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(outcome.stderr()).contains("set CFBD_API_KEY").contains("MOCK_DATA_PATH");
  }

  @Test
  void main_unknownCommandExits() throws Exception {
    Outcome outcome = run(Map.of(), "launch");

    assertThat(outcome.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(outcome.stderr()).contains("Unknown command 'launch'");
  }

  @Test
  void snapshot_missingIndexRejected() throws Exception {
    Path empty = Files.createTempDirectory("snapshot");

    Outcome outcome = run(Map.of(), "snapshot", "verify", empty.toString());
    Outcome usage = run(Map.of(), "snapshot", "check");

    assertThat(outcome.exitCode()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(outcome.stderr()).contains("INDEX.json is missing");
    assertThat(usage.exitCode()).isEqualTo(Main.EXIT_USAGE);
    assertThat(usage.stderr()).contains("usage: snapshot verify DIR");
  }
}
