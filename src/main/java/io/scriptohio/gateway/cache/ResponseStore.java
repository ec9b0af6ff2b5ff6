package io.scriptohio.gateway.cache;

import io.vertx.core.Future;

/**
 * One tier of the response cache. Entries are kept past their freshness (up to a retention
 * window) so that stale bodies can be served while a refresh runs or when CFBD fails.
 *
 * <p>Implementations never fail a {@code get}: a tier that cannot be reached answers null and
 * counts the failure, so the caller falls through to the next source.
 */
public interface ResponseStore {

  /** Returns the entry for {@code key}, fresh or stale, or null. */
  Future<CachedResponse> get(String key);

  /** Stores the entry; completes when the tier accepted it or gave up. */
  Future<Void> put(String key, CachedResponse response);

  /** Releases connections; the store is unusable afterwards. */
  Future<Void> close();
}
