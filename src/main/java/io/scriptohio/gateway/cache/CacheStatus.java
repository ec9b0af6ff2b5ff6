package io.scriptohio.gateway.cache;

/** How a response was served, sent to clients as the {@code X-Cache} header. */
public enum CacheStatus {
  /** Fresh entry from the cache. */
  HIT,
  /** Fetched from CFBD for this request (or for a concurrent identical one). */
  MISS,
  /** Expired entry, served because a refresh is running or CFBD failed. */
  STALE,
  /** Stored response from {@code MOCK_DATA_PATH}, served because CFBD failed. */
  SNAPSHOT
}
