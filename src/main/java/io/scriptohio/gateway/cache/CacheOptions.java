package io.scriptohio.gateway.cache;

import io.scriptohio.gateway.config.Setting;
import io.scriptohio.gateway.config.SettingReader;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the response cache.
 *
 * @param enabled whether responses are cached at all; coalescing works either way
 * @param type {@code local} (Caffeine only) or {@code redis} (Caffeine in front of Redis)
 * @param defaultTtl freshness of data whose kind does not set its own TTL
 * @param maxBytes bound on the bytes held by the local tier
 * @param redisUrl Redis connection string when {@code type} is {@code redis}; may hold a password
 */
public record CacheOptions(boolean enabled, String type, Duration defaultTtl, long maxBytes,
    String redisUrl) {

  public static final String LOCAL = "local";
  public static final String REDIS = "redis";
  public static final long DEFAULT_TTL_SECONDS = 3600;
  /** 256 MiB fits every stored CFBD response of several seasons with room to spare. */
  public static final int DEFAULT_MAX_MEGABYTES = 256;

  /** Reads and validates the cache settings, recording problems on {@code reader}. */
  public static CacheOptions from(SettingReader reader) {
    boolean enabled = reader.bool(Setting.CACHE_ENABLED, true);
    String type = reader.oneOf(Setting.CACHE_TYPE, Set.of(LOCAL, REDIS), LOCAL);
    int ttl = reader.intIn(Setting.CFBD_CACHE_TTL, 1, 30 * 24 * 3600, (int) DEFAULT_TTL_SECONDS);
    int megabytes = reader.intIn(Setting.CACHE_MAX_MEGABYTES, 1, 65536, DEFAULT_MAX_MEGABYTES);
    String redisUrl = reader.string(Setting.REDIS_URL);

    if (REDIS.equals(type) && redisUrl == null) {
      reader.reject("CACHE_TYPE=redis needs REDIS_URL, e.g. redis://localhost:6379");
    }
    if (redisUrl != null && !validRedisUrl(redisUrl)) {
      reader.invalid(Setting.REDIS_URL, redisUrl, "a redis:// or rediss:// URL with a host");
    }
    return new CacheOptions(enabled, type, Duration.ofSeconds(ttl), megabytes * 1024L * 1024L,
        redisUrl);
  }

  public boolean redis() {
    return REDIS.equals(type);
  }

  /** Returns the settings with the Redis password hidden, safe to log. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("type", type)
        .put("defaultTtlSeconds", defaultTtl.toSeconds())
        .put("maxBytes", maxBytes)
        .put("redisUrl", redisUrl == null ? null : maskedRedisUrl(redisUrl));
  }

  @Override
  public String toString() {
    return toJson().encode();
  }

  /** Returns the URL without user info, so a password cannot reach a log line. */
  static String maskedRedisUrl(String url) {
    try {
      URI uri = URI.create(url);
      int port = uri.getPort();
      return uri.getScheme() + "://" + uri.getHost() + (port < 0 ? "" : ":" + port)
          + (uri.getPath() == null ? "" : uri.getPath());
    } catch (IllegalArgumentException e) {
      return "(unparseable)";
    }
  }

  private static boolean validRedisUrl(String url) {
    try {
      URI uri = URI.create(url);
      return ("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
