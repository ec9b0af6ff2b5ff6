package io.scriptohio.gateway.cache;

import io.scriptohio.gateway.cfbd.CfbdDataSource;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CFBD records through the gateway's cache: every fetch goes to {@link CacheVerticle#ADDRESS}, so
 * it shares the cache, the coalescing, the token bucket and the fallbacks with the proxy API.
 * Bodies are decoded on a worker thread, because whole-season bodies are large.
 */
public final class CachedDataSource implements CfbdDataSource {

  private final Vertx vertx;
  private final DeliveryOptions delivery;
  private final AtomicLong misses = new AtomicLong();

  /**
   * @param timeout how long one fetch may take, upstream retries included
   */
  public CachedDataSource(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  @Override
  public Future<JsonArray> fetch(CfbdRequest request) {
    return vertx.eventBus().<CacheReply>request(CacheVerticle.ADDRESS, request, delivery)
        .map(Message::body)
        .compose(reply -> {
          if (reply.status() == CacheStatus.MISS) {
            misses.incrementAndGet();
          }
          return vertx.executeBlocking(() -> new JsonArray(reply.response().body()), false);
        });
  }

  /** Returns how many fetches were not served from the cache. */
  public long missCount() {
    return misses.get();
  }
}
