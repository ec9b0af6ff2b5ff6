package io.scriptohio.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
class GatewayConfigTest {

  private static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789";

  @TempDir
  Path tempDir;

  private Map<String, String> validEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("CFBD_API_KEY", KEY);
    return env;
  }

  @Test
  void from_defaults() {
    GatewayConfig config = ConfigLoader.fromMaps(new JsonObject(), validEnvironment());

    assertThat(config.cfbd().rateLimitDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.cfbd().maxConcurrentRequests()).isEqualTo(5);
    assertThat(config.cfbd().retryAttempts()).isEqualTo(3);
    assertThat(config.cfbd().baseUrl().toString()).isEqualTo("https://api.collegefootballdata.com");
    assertThat(config.cache().defaultTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(config.cache().type()).isEqualTo("local");
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.healthPort()).isEqualTo(8081);
    assertThat(config.dataQualityThreshold()).isEqualTo(0.95);
    assertThat(config.cfbd().offline()).isFalse();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "CFBD_RATE_LIMIT_DELAY|0.05|CFBD_RATE_LIMIT_DELAY='0.05' is invalid: expected a number from 0.1 to 5 seconds",
      "CFBD_RATE_LIMIT_DELAY|fast|CFBD_RATE_LIMIT_DELAY='fast' is invalid: expected a number from 0.1 to 5 seconds",
      "MAX_CONCURRENT_REQUESTS|21|MAX_CONCURRENT_REQUESTS='21' is invalid: expected an integer from 1 to 20",
      "REQUEST_TIMEOUT|4|REQUEST_TIMEOUT='4' is invalid: expected an integer from 5 to 300",
      "DATA_QUALITY_THRESHOLD|1.5|DATA_QUALITY_THRESHOLD='1.5' is invalid: expected a number from 0 to 1",
      "CACHE_TYPE|memcached|CACHE_TYPE='memcached' is invalid: expected one of local, redis",
      "CACHE_ENABLED|maybe|CACHE_ENABLED='maybe' is invalid: expected true or false (yes/no and 1/0 are accepted too)",
      "CFBD_BASE_URL|ftp://x|CFBD_BASE_URL='ftp://x' is invalid: expected an http:// or https:// URL",
      "METRICS_PORT|70000|METRICS_PORT='70000' is invalid: expected an integer from 0 to 65535",
      "LOG_LEVEL|LOUD|LOG_LEVEL='LOUD' is invalid: expected one of DEBUG, ERROR, INFO, TRACE, WARN",
      "RETRY_ATTEMPTS|0|RETRY_ATTEMPTS='0' is invalid: expected an integer from 1 to 10",
      "HTTP_HOST|not..a..host|HTTP_HOST='not..a..host' is invalid: expected an IP address or a host name, e.g. 0.0.0.0 or 127.0.0.1",
      "MODELS_PATH|/|MODELS_PATH='/' is invalid: expected a folder with manifest.json and the ONNX models it lists",
  })
  void from_invalidVariable(String name, String value, String expected) {
    Map<String, String> env = validEnvironment();
    env.put(name, value);

    assertThatThrownBy(() -> ConfigLoader.fromMaps(new JsonObject(), env))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).containsExactly(expected));
  }

  @Test
  void from_everyInvalidVariableReported() {
    Map<String, String> env = validEnvironment();
    env.put("CFBD_TIMEOUT", "0");
    env.put("HEALTH_CHECK_PORT", "-1");
    env.put("CFBD_CACHE_TTL", "soon");

    assertThatThrownBy(() -> ConfigLoader.fromMaps(new JsonObject(), env))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).hasSize(3);
          assertThat(e.problems()).anyMatch(p -> p.startsWith("CFBD_TIMEOUT='0'"));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("HEALTH_CHECK_PORT='-1'"));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("CFBD_CACHE_TTL='soon'"));
        });
  }

  @Test
  void from_shortKeyHidden() {
    Map<String, String> env = validEnvironment();
    env.put("CFBD_API_KEY", "secret-short");

    assertThatThrownBy(() -> ConfigLoader.fromMaps(new JsonObject(), env))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).containsExactly("CFBD_API_KEY=(value hidden) is invalid: "
              + "expected a CFBD API key of at least 20 characters");
          assertThat(e.getMessage()).doesNotContain("secret-short");
        });
  }

  @Test
  void from_noKeyNoMockData() {
    assertThatThrownBy(() -> ConfigLoader.fromMaps(new JsonObject(), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .singleElement().asString()
            .contains("CFBD_API_KEY").contains("MOCK_DATA_PATH"));
  }

  @Test
  void from_mockDataPathMissingFolder() {
    Map<String, String> env = Map.of("MOCK_DATA_PATH", tempDir.resolve("absent").toString());

    assertThatThrownBy(() -> ConfigLoader.fromMaps(new JsonObject(), env))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.startsWith("MOCK_DATA_PATH=") && p.contains("existing folder")));
  }

  @Test
  void from_offlineWithMockData() {
    Map<String, String> env = Map.of("MOCK_DATA_PATH", tempDir.toString());

    GatewayConfig config = ConfigLoader.fromMaps(new JsonObject(), env);

    assertThat(config.cfbd().offline()).isTrue();
    assertThat(config.cfbd().mockDataPath()).isEqualTo(tempDir.toAbsolutePath());
  }

  @Test
  void from_redisWithoutUrl() {
    Map<String, String> env = validEnvironment();
    env.put("CACHE_TYPE", "redis");

    assertThatThrownBy(() -> ConfigLoader.fromMaps(new JsonObject(), env))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly("CACHE_TYPE=redis needs REDIS_URL, e.g. redis://localhost:6379"));
  }

  @Test
  void toJson_masksSecrets() {
    Map<String, String> env = validEnvironment();
    env.put("CACHE_TYPE", "redis");
    env.put("REDIS_URL", "redis://user:hunter2-password@cache.internal:6380/0");

    JsonObject masked = ConfigLoader.fromMaps(new JsonObject(), env).toJson();

    assertThat(masked.encode()).doesNotContain(KEY).doesNotContain("hunter2-password");
    assertThat(masked.getJsonObject("cfbd").getString("apiKey")).isEqualTo("****6789");
    assertThat(masked.getJsonObject("cache").getString("redisUrl"))
        .isEqualTo("redis://cache.internal:6380/0");
  }

  @Test
  void fromMaps_environmentOverridesFile() {
    JsonObject file = new JsonObject()
        .put("cfbd", new JsonObject().put("timeout", 42).put("retryAttempts", 7))
        .put("http", new JsonObject().put("port", 9090));
    Map<String, String> env = validEnvironment();
    env.put("CFBD_TIMEOUT", "12");

    GatewayConfig config = ConfigLoader.fromMaps(file, env);

    assertThat(config.cfbd().timeout()).isEqualTo(Duration.ofSeconds(12));
    assertThat(config.cfbd().retryAttempts()).isEqualTo(7);
    assertThat(config.http().port()).isEqualTo(9090);
  }

  /** The build runs tests with LOG_LEVEL=INFO in the environment, which must beat the file. */
  @Test
  void load_fileThenEnvironment(Vertx vertx) throws Exception {
    Path file = tempDir.resolve("application.yaml");
    Files.writeString(file, "cfbd:\n  timeout: 42\n  mockDataPath: " + tempDir + "\n"
        + "http:\n  port: 9090\nlogLevel: DEBUG\n");

    GatewayConfig config = ConfigLoader.load(vertx, file).await();

    assertThat(System.getenv("LOG_LEVEL")).isEqualTo("INFO");
    assertThat(config.logLevel()).isEqualTo("INFO");
    assertThat(config.cfbd().timeout()).isEqualTo(Duration.ofSeconds(42));
    assertThat(config.http().port()).isEqualTo(9090);
  }
}
