package io.scriptohio.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * In-process tier on Caffeine, bounded by the bytes of the bodies it holds. Each entry lives
 * until its freshness ends plus {@link #STALE_RETENTION}, so stale bodies stay available for
 * stale-while-revalidate and stale-if-error. Thread-safe and non-blocking.
 */
public final class LocalResponseStore implements ResponseStore {

  /** How long an expired body is kept for stale serving: long enough to ride out an outage. */
  public static final Duration STALE_RETENTION = Duration.ofDays(7);

  private final Cache<String, CachedResponse> cache;

  public LocalResponseStore(long maxBytes) {
    this(maxBytes, Ticker.systemTicker());
  }

  /** Creates a store whose expiry follows {@code ticker}, so tests can move time. */
  public LocalResponseStore(long maxBytes, Ticker ticker) {
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String key, CachedResponse value) -> value.body().length() + key.length() * 2)
        .expireAfter(new RetentionExpiry())
        .ticker(ticker)
        .build();
  }

  /** Returns the entry without a future, for callers already on the hot path. */
  public CachedResponse getNow(String key) {
    return cache.getIfPresent(key);
  }

  @Override
  public Future<CachedResponse> get(String key) {
    return Future.succeededFuture(cache.getIfPresent(key));
  }

  @Override
  public Future<Void> put(String key, CachedResponse response) {
    cache.put(key, response);
    return Future.succeededFuture();
  }

  /** Returns the number of entries, fresh or stale. */
  public long size() {
    return cache.estimatedSize();
  }

  /** Returns a snapshot of every entry, for backups. */
  public java.util.Map<String, CachedResponse> entries() {
    return java.util.Map.copyOf(cache.asMap());
  }

  public void invalidateAll() {
    cache.invalidateAll();
  }

  @Override
  public Future<Void> close() {
    cache.invalidateAll();
    return Future.succeededFuture();
  }

  private static final class RetentionExpiry implements Expiry<String, CachedResponse> {

    @Override
    public long expireAfterCreate(String key, CachedResponse value, long currentTime) {
      long freshMillis = Math.max(0, value.freshUntilMillis() - System.currentTimeMillis());
      return Duration.ofMillis(freshMillis).plus(STALE_RETENTION).toNanos();
    }

    @Override
    public long expireAfterUpdate(String key, CachedResponse value, long currentTime,
        long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, CachedResponse value, long currentTime,
        long currentDuration) {
      return currentDuration;
    }
  }
}
