package io.scriptohio.gateway.http;

import io.scriptohio.gateway.config.Setting;
import io.scriptohio.gateway.config.SettingReader;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Settings of the public API server.
 *
 * @param host address the API server binds to
 * @param port API port, which also serves {@code /metrics}
 * @param requestTimeout time after which a request is answered with 503, whatever is still pending
 */
public record HttpOptions(String host, int port, Duration requestTimeout) {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

  /** Reads and validates the HTTP settings, recording problems on {@code reader}. */
  public static HttpOptions from(SettingReader reader) {
    String host = reader.string(Setting.HTTP_HOST, "0.0.0.0");
    int port = reader.intIn(Setting.METRICS_PORT, 0, 65535, DEFAULT_PORT);
    int timeout = reader.intIn(Setting.REQUEST_TIMEOUT, 5, 300, DEFAULT_REQUEST_TIMEOUT_SECONDS);
    return new HttpOptions(host, port, Duration.ofSeconds(timeout));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("requestTimeoutSeconds", requestTimeout.toSeconds());
  }
}
