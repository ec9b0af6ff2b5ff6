package io.scriptohio.gateway.http;

import io.scriptohio.gateway.config.Setting;
import io.scriptohio.gateway.config.SettingReader;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the public API server.
 *
 * @param host address the API server binds to
 * @param port API port, which also serves {@code /metrics}
 * @param requestTimeout time after which a request gets a 503, whatever is still pending
 * @param metricsAllowed address ranges whose clients may read {@code /metrics}; others get 403
 */
public record HttpOptions(String host, int port, Duration requestTimeout,
    List<CidrRange> metricsAllowed) {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
  /** Host names and IPv4 addresses: dot-separated labels of letters, digits and inner hyphens. */
  private static final Pattern HOST = Pattern.compile(
      "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  /** Loopback and the private range a Prometheus server inside a cluster scrapes from. */
  public static final String DEFAULT_METRICS_ALLOWED_CIDRS = "127.0.0.0/8,::1/128,10.0.0.0/8";

  /** Reads and validates the HTTP settings, recording problems on {@code reader}. */
  public static HttpOptions from(SettingReader reader) {
    String host = reader.string(Setting.HTTP_HOST, "0.0.0.0");
    if (!HOST.matcher(host).matches() && !host.contains(":")) {
      reader.invalid(Setting.HTTP_HOST, host, "an IP address or a host name, e.g. 0.0.0.0 or 127.0.0.1");
      host = "0.0.0.0";
    }
    int port = reader.intIn(Setting.METRICS_PORT, 0, 65535, DEFAULT_PORT);
    int timeout = reader.intIn(Setting.REQUEST_TIMEOUT, 5, 300, DEFAULT_REQUEST_TIMEOUT_SECONDS);
    List<CidrRange> allowed = parseCidrs(reader);
    return new HttpOptions(host, port, Duration.ofSeconds(timeout), allowed);
  }

  /** Returns whether a client at {@code address} may read {@code /metrics}. */
  public boolean metricsAllowed(String address) {
    return metricsAllowed.stream().anyMatch(range -> range.contains(address));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("requestTimeoutSeconds", requestTimeout.toSeconds())
        .put("metricsAllowedCidrs", metricsAllowed.stream().map(CidrRange::toString).toList());
  }

  private static List<CidrRange> parseCidrs(SettingReader reader) {
    String text = reader.string(Setting.METRICS_ALLOWED_CIDRS, DEFAULT_METRICS_ALLOWED_CIDRS);
    List<CidrRange> ranges = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        ranges.add(CidrRange.parse(part.trim()));
      } catch (IllegalArgumentException e) {
        reader.invalid(Setting.METRICS_ALLOWED_CIDRS, part.trim(),
            "a comma-separated list of address ranges such as 10.0.0.0/8 or ::1/128");
      }
    }
    return List.copyOf(ranges);
  }
}
