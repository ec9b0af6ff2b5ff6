package io.scriptohio.gateway.config;

import java.util.List;

/**
 * One operator-facing setting: the environment variable that overrides it and the dotted path of
 * its key in {@code conf/application.yaml}.
 */
public enum Setting {
  CFBD_API_KEY("cfbd.apiKey", true),
  CFBD_BASE_URL("cfbd.baseUrl", false),
  CFBD_RATE_LIMIT_DELAY("cfbd.rateLimitDelay", false),
  CFBD_RATE_LIMIT_BURST("cfbd.rateLimitBurst", false),
  CFBD_TIMEOUT("cfbd.timeout", false),
  MAX_CONCURRENT_REQUESTS("cfbd.maxConcurrentRequests", false),
  RETRY_ATTEMPTS("cfbd.retryAttempts", false),
  RETRY_DELAY("cfbd.retryDelay", false),
  MOCK_DATA_PATH("cfbd.mockDataPath", false),
  MOCK_DATA_FALLBACK_ENABLED("cfbd.mockDataFallbackEnabled", false),
  CIRCUIT_FAILURE_THRESHOLD("cfbd.circuitFailureThreshold", false),
  CIRCUIT_RESET_TIMEOUT("cfbd.circuitResetTimeout", false),
  CFBD_CACHE_TTL("cache.defaultTtl", false),
  CACHE_ENABLED("cache.enabled", false),
  CACHE_TYPE("cache.type", false),
  CACHE_MAX_MEGABYTES("cache.maxMegabytes", false),
  REDIS_URL("cache.redisUrl", true),
  METRICS_PORT("http.port", false),
  HTTP_HOST("http.host", false),
  REQUEST_TIMEOUT("http.requestTimeout", false),
  METRICS_ALLOWED_CIDRS("http.metricsAllowedCidrs", false),
  HEALTH_CHECK_PORT("health.port", false),
  SHUTDOWN_GRACE_PERIOD("shutdown.gracePeriod", false),
  SHUTDOWN_TIMEOUT("shutdown.timeout", false),
  BACKUP_INTERVAL("backup.interval", false),
  BACKUP_DIR("backup.dir", false),
  BACKUP_RETENTION_DAYS("backup.retentionDays", false),
  DATA_QUALITY_THRESHOLD("features.dataQualityThreshold", false),
  FEATURES_WARM_UP("features.warmUp", false),
  MODELS_PATH("inference.modelsPath", false),
  INFERENCE_MAX_BATCH_DELAY_MICROS("inference.maxBatchDelayMicros", false),
  INFERENCE_MAX_BATCH_SIZE("inference.maxBatchSize", false),
  INFERENCE_WORKER_INSTANCES("inference.workerInstances", false),
  ENVIRONMENT("environment", false),
  LOG_LEVEL("logLevel", false);

  private final String path;
  private final boolean secret;

  Setting(String path, boolean secret) {
    this.path = path;
    this.secret = secret;
  }

  /** Returns the dotted key path in the YAML file, e.g. {@code cfbd.timeout}. */
  public String path() {
    return path;
  }

  /** Returns whether the value must never be logged or echoed in an error message. */
  public boolean secret() {
    return secret;
  }

  /** Returns the variable names, for the environment store's allow-list. */
  public static List<String> environmentNames() {
    return java.util.Arrays.stream(values()).map(Enum::name).toList();
  }
}
