package io.scriptohio.gateway.config;

import io.scriptohio.gateway.cache.CacheOptions;
import io.scriptohio.gateway.cfbd.CfbdOptions;
import io.scriptohio.gateway.health.OperationsOptions;
import io.scriptohio.gateway.http.HttpOptions;
import io.scriptohio.gateway.inference.InferenceOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Paths;
import java.util.Set;

/**
 * The whole validated configuration, one options record per capability.
 *
 * @param operations health server, graceful shutdown and backups
 * @param dataQualityThreshold minimum fraction of features present for a prediction to be made
 * @param warmUp whether the features of the current and previous season are built at start-up,
 *     so that the first prediction request does not pay for loading the history
 * @param inference where the models are and how requests are batched
 * @param environment deployment name, used in logs only
 * @param logLevel root log level
 */
public record GatewayConfig(
    CfbdOptions cfbd,
    CacheOptions cache,
    HttpOptions http,
    OperationsOptions operations,
    double dataQualityThreshold,
    boolean warmUp,
    InferenceOptions inference,
    String environment,
    String logLevel) {

  public static final int DEFAULT_HEALTH_CHECK_PORT = OperationsOptions.DEFAULT_HEALTH_CHECK_PORT;
  public static final double DEFAULT_DATA_QUALITY_THRESHOLD = 0.95;

  /**
   * Validates the merged configuration.
   *
   * @throws ConfigException listing every invalid setting
   */
  public static GatewayConfig from(JsonObject merged) {
    SettingReader reader = new SettingReader(merged);

    CfbdOptions cfbd = CfbdOptions.from(reader);
    CacheOptions cache = CacheOptions.from(reader);
    HttpOptions http = HttpOptions.from(reader);
    OperationsOptions operations = OperationsOptions.from(reader);
    int healthPort = operations.healthPort();
    double threshold = reader.doubleIn(Setting.DATA_QUALITY_THRESHOLD, 0.0, 1.0,
        DEFAULT_DATA_QUALITY_THRESHOLD, "");
    boolean warmUp = reader.bool(Setting.FEATURES_WARM_UP, true);
    InferenceOptions inference = new InferenceOptions(
        Paths.get(reader.string(Setting.MODELS_PATH, InferenceOptions.DEFAULT_MODELS_PATH)),
        reader.intIn(Setting.INFERENCE_MAX_BATCH_DELAY_MICROS, 0,
            (int) InferenceOptions.MAX_BATCH_DELAY_MICROS,
            (int) InferenceOptions.DEFAULT_MAX_BATCH_DELAY_MICROS),
        reader.intIn(Setting.INFERENCE_MAX_BATCH_SIZE, 1, InferenceOptions.MAX_BATCH_SIZE,
            InferenceOptions.DEFAULT_MAX_BATCH_SIZE),
        reader.intIn(Setting.INFERENCE_WORKER_INSTANCES, 1, 64,
            InferenceOptions.DEFAULT_WORKER_INSTANCES));
    String environment = reader.oneOf(Setting.ENVIRONMENT,
        Set.of("development", "test", "staging", "production"), "development");
    String logLevel = reader.oneOf(Setting.LOG_LEVEL,
        Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR"), "INFO");
    if (http.port() != 0 && http.port() == healthPort) {
      reader.reject("METRICS_PORT and HEALTH_CHECK_PORT are both " + healthPort
          + ": the API and health servers need different ports");
    }

    reader.throwIfInvalid();
    return new GatewayConfig(cfbd, cache, http, operations, threshold, warmUp, inference,
        environment,
        logLevel);
  }

  /** Returns the port of the health server. */
  public int healthPort() {
    return operations.healthPort();
  }

  /** Returns the configuration with every secret masked, safe to log. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("cfbd", cfbd.toJson())
        .put("cache", cache.toJson())
        .put("http", http.toJson())
        .put("operations", operations.toJson())
        .put("dataQualityThreshold", dataQualityThreshold)
        .put("warmUp", warmUp)
        .put("inference", inference.toJson())
        .put("environment", environment)
        .put("logLevel", logLevel);
  }
}
