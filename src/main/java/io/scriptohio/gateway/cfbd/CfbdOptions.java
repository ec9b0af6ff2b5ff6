package io.scriptohio.gateway.cfbd;

import io.scriptohio.gateway.config.Setting;
import io.scriptohio.gateway.config.SettingReader;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * Settings of the CFBD client: where CFBD is, how fast and how often the gateway may call it, and
 * where stored responses live for offline and fallback use.
 *
 * @param apiKey the CFBD bearer key, or null in offline mode; never logged
 * @param rateLimitDelay time between two tokens of the upstream token bucket
 * @param rateLimitBurst calls the bucket lets through at once after a quiet period
 * @param timeout limit for one upstream HTTP exchange
 * @param maxConcurrentRequests size of the upstream connection pool
 * @param retryAttempts total attempts per call, the first included
 * @param retryDelay backoff before the second attempt; doubles for each further attempt
 * @param mockDataPath folder of stored CFBD responses, or null
 * @param mockDataFallbackEnabled whether stored responses are served when CFBD fails
 * @param circuitFailureThreshold failed calls in a row (after their retries) that open the
 *     circuit breaker
 * @param circuitResetTimeout time the circuit stays open before one half-open probe call
 */
public record CfbdOptions(
    String apiKey,
    URI baseUrl,
    Duration rateLimitDelay,
    int rateLimitBurst,
    Duration timeout,
    int maxConcurrentRequests,
    int retryAttempts,
    Duration retryDelay,
    Path mockDataPath,
    boolean mockDataFallbackEnabled,
    int circuitFailureThreshold,
    Duration circuitResetTimeout) {

  public static final String DEFAULT_BASE_URL = "https://api.collegefootballdata.com";
  public static final double DEFAULT_RATE_LIMIT_DELAY_SECONDS = 0.5;
  /** Burst of five calls: enough for the handful of requests one cold prediction week needs. */
  public static final int DEFAULT_RATE_LIMIT_BURST = 5;
  public static final double DEFAULT_TIMEOUT_SECONDS = 10.0;
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 5;
  public static final int DEFAULT_RETRY_ATTEMPTS = 3;
  public static final double DEFAULT_RETRY_DELAY_SECONDS = 1.0;
  /** Five failed calls, each after its retries, are a real outage rather than a blip. */
  public static final int DEFAULT_CIRCUIT_FAILURE_THRESHOLD = 5;
  public static final double DEFAULT_CIRCUIT_RESET_TIMEOUT_SECONDS = 30.0;
  /** CFBD keys are 64 characters; anything under 20 is a typo or a placeholder. */
  public static final int MIN_API_KEY_LENGTH = 20;

  /** Reads and validates the CFBD settings, recording problems on {@code reader}. */
  public static CfbdOptions from(SettingReader reader) {
    String apiKey = reader.string(Setting.CFBD_API_KEY);
    if (apiKey != null && apiKey.length() < MIN_API_KEY_LENGTH) {
      reader.invalid(Setting.CFBD_API_KEY, apiKey,
          "a CFBD API key of at least " + MIN_API_KEY_LENGTH + " characters");
    }

    URI baseUrl = parseBaseUrl(reader);
    Duration delay = seconds(reader.doubleIn(Setting.CFBD_RATE_LIMIT_DELAY, 0.1, 5.0,
        DEFAULT_RATE_LIMIT_DELAY_SECONDS, " seconds"));
    int burst = reader.intIn(Setting.CFBD_RATE_LIMIT_BURST, 1, 100, DEFAULT_RATE_LIMIT_BURST);
    Duration timeout = seconds(reader.doubleIn(Setting.CFBD_TIMEOUT, 1.0, 120.0,
        DEFAULT_TIMEOUT_SECONDS, " seconds"));
    int maxConcurrent = reader.intIn(Setting.MAX_CONCURRENT_REQUESTS, 1, 20,
        DEFAULT_MAX_CONCURRENT_REQUESTS);
    int attempts = reader.intIn(Setting.RETRY_ATTEMPTS, 1, 10, DEFAULT_RETRY_ATTEMPTS);
    Duration retryDelay = seconds(reader.doubleIn(Setting.RETRY_DELAY, 0.01, 60.0,
        DEFAULT_RETRY_DELAY_SECONDS, " seconds"));
    Path mockDataPath = parseMockDataPath(reader);
    boolean fallback = reader.bool(Setting.MOCK_DATA_FALLBACK_ENABLED, true);
    int circuitThreshold = reader.intIn(Setting.CIRCUIT_FAILURE_THRESHOLD, 1, 100,
        DEFAULT_CIRCUIT_FAILURE_THRESHOLD);
    Duration circuitReset = seconds(reader.doubleIn(Setting.CIRCUIT_RESET_TIMEOUT, 0.1, 3600.0,
        DEFAULT_CIRCUIT_RESET_TIMEOUT_SECONDS, " seconds"));

    if (apiKey == null && reader.string(Setting.MOCK_DATA_PATH) == null) {
      reader.reject("No data source: set CFBD_API_KEY to a CFBD API key (from "
          + "collegefootballdata.com/key) or MOCK_DATA_PATH to a folder of stored CFBD responses "
          + "for offline mode");
    }
    return new CfbdOptions(apiKey, baseUrl, delay, burst, timeout, maxConcurrent, attempts,
        retryDelay, mockDataPath, fallback, circuitThreshold, circuitReset);
  }

  /**
   * Returns the longest a call can take with every attempt: waiting for a token, the upstream
   * timeout, and the backoffs with their largest jitter.
   */
  public Duration worstCaseCall(Duration maxQueueWait) {
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt <= retryAttempts; attempt++) {
      total = total.plus(maxQueueWait).plus(timeout);
      if (attempt < retryAttempts) {
        long backoffMillis = Math.round(retryDelay.toMillis() * Math.pow(2, attempt - 1) * 1.25);
        total = total.plusMillis(backoffMillis);
      }
    }
    return total;
  }

  /** Returns whether the gateway serves stored responses only, because no API key is set. */
  public boolean offline() {
    return apiKey == null;
  }

  /** Returns the settings with the API key masked, safe to log. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("apiKey", apiKey == null ? null : "****" + apiKey.substring(apiKey.length() - 4))
        .put("baseUrl", baseUrl.toString())
        .put("rateLimitDelayMs", rateLimitDelay.toMillis())
        .put("rateLimitBurst", rateLimitBurst)
        .put("timeoutMs", timeout.toMillis())
        .put("maxConcurrentRequests", maxConcurrentRequests)
        .put("retryAttempts", retryAttempts)
        .put("retryDelayMs", retryDelay.toMillis())
        .put("mockDataPath", mockDataPath == null ? null : mockDataPath.toString())
        .put("mockDataFallbackEnabled", mockDataFallbackEnabled)
        .put("circuitFailureThreshold", circuitFailureThreshold)
        .put("circuitResetTimeoutMs", circuitResetTimeout.toMillis())
        .put("offline", offline());
  }

  @Override
  public String toString() {
    return toJson().encode();
  }

  private static URI parseBaseUrl(SettingReader reader) {
    String text = reader.string(Setting.CFBD_BASE_URL, DEFAULT_BASE_URL);
    try {
      URI uri = URI.create(text);
      boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      if (!http || uri.getHost() == null) {
        reader.invalid(Setting.CFBD_BASE_URL, text, "an http:// or https:// URL");
        return URI.create(DEFAULT_BASE_URL);
      }
      return uri;
    } catch (IllegalArgumentException e) {
      reader.invalid(Setting.CFBD_BASE_URL, text, "an http:// or https:// URL");
      return URI.create(DEFAULT_BASE_URL);
    }
  }

  private static Path parseMockDataPath(SettingReader reader) {
    String text = reader.string(Setting.MOCK_DATA_PATH);
    if (text == null) {
      return null;
    }
    Path path = Paths.get(text).toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) {
      reader.invalid(Setting.MOCK_DATA_PATH, text, "an existing folder of stored CFBD responses");
      return null;
    }
    return path;
  }

  private static Duration seconds(double value) {
    return Duration.ofNanos(Math.round(value * 1_000_000_000L));
  }
}
