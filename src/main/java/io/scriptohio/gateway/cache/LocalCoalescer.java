package io.scriptohio.gateway.cache;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** In-process {@link Coalescer}: one map entry per key while its call runs. Thread-safe. */
public final class LocalCoalescer implements Coalescer {

  private final ConcurrentHashMap<String, Future<?>> running = new ConcurrentHashMap<>();
  private final AtomicLong joined = new AtomicLong();

  @Override
  @SuppressWarnings("unchecked")
  public <T> Future<T> coalesce(String key, Supplier<Future<T>> call) {
    Future<?> existing = running.get(key);
    if (existing != null) {
      joined.incrementAndGet();
      return (Future<T>) existing;
    }

    boolean[] started = new boolean[1];
    Future<?> future = running.computeIfAbsent(key, k -> {
      started[0] = true;
      return call.get();
    });
    if (!started[0]) {
      joined.incrementAndGet();
      return (Future<T>) future;
    }
    future.onComplete(done -> running.remove(key, future));
    return (Future<T>) future;
  }

  @Override
  public long joinedCount() {
    return joined.get();
  }

  /** Returns the number of keys with a call in progress. */
  public int inFlight() {
    return running.size();
  }
}
