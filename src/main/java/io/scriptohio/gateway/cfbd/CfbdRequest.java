package io.scriptohio.gateway.cfbd;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One CFBD API call: an endpoint path without the leading slash ({@code games},
 * {@code stats/game/advanced}) and its query parameters.
 *
 * <p>Parameters are kept sorted by name, so two requests that differ only in parameter order
 * have the same {@link #cacheKey()} and share one cache entry and one upstream call. Instances
 * are immutable and safe to pass between event loops with a local codec.
 */
public final class CfbdRequest {

  private final String endpoint;
  private final SortedMap<String, String> params;
  private final String cacheKey;

  public CfbdRequest(String endpoint, Map<String, String> params) {
    this.endpoint = stripSlashes(Objects.requireNonNull(endpoint, "endpoint"));
    this.params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    this.cacheKey = this.endpoint + "?" + queryString();
  }

  /** Builds a request from an endpoint and a raw query string such as {@code year=2025&week=1}. */
  public static CfbdRequest parse(String endpoint, String query) {
    TreeMap<String, String> params = new TreeMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        params.put(decode(name), decode(value));
      }
    }
    return new CfbdRequest(endpoint, params);
  }

  public static CfbdRequest of(String endpoint, String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("expected name/value pairs, got " + nameValuePairs.length + " strings");
    }
    TreeMap<String, String> params = new TreeMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      params.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return new CfbdRequest(endpoint, params);
  }

  public String endpoint() {
    return endpoint;
  }

  public SortedMap<String, String> params() {
    return params;
  }

  public String param(String name) {
    return params.get(name);
  }

  /** Returns the query string with parameters in name order, URL-encoded. */
  public String queryString() {
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> param : params.entrySet()) {
      if (query.length() > 0) {
        query.append('&');
      }
      query.append(encode(param.getKey())).append('=').append(encode(param.getValue()));
    }
    return query.toString();
  }

  /** Returns the path and query for the upstream call, e.g. {@code /games?week=1&year=2025}. */
  public String uri() {
    return params.isEmpty() ? "/" + endpoint : "/" + endpoint + "?" + queryString();
  }

  /** Returns the key under which the response is cached: endpoint and sorted query. */
  public String cacheKey() {
    return cacheKey;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CfbdRequest && ((CfbdRequest) other).cacheKey.equals(cacheKey);
  }

  @Override
  public int hashCode() {
    return cacheKey.hashCode();
  }

  @Override
  public String toString() {
    return uri();
  }

  private static String stripSlashes(String path) {
    String stripped = path;
    while (stripped.startsWith("/")) {
      stripped = stripped.substring(1);
    }
    while (stripped.endsWith("/")) {
      stripped = stripped.substring(0, stripped.length() - 1);
    }
    return stripped;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
