package io.scriptohio.gateway.cache;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Joins concurrent calls for the same key into one. While a call for a key is running, further
 * callers for that key wait for its result or its failure instead of starting their own.
 *
 * <p>{@link LocalCoalescer} joins calls within one process. Replicas sharing a CFBD key can add
 * a Redis-backed implementation (a lock key plus a published result) behind this interface.
 */
public interface Coalescer {

  /**
   * Runs {@code call} unless a call for {@code key} is already running, and returns the result of
   * whichever call ends up serving the key.
   */
  <T> Future<T> coalesce(String key, Supplier<Future<T>> call);

  /** Returns how many callers so far were served by another caller's call. */
  long joinedCount();
}
