package io.scriptohio.gateway.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scriptohio.gateway.GatewayFailure;
import io.scriptohio.gateway.cfbd.CfbdFetchVerticle;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.scriptohio.gateway.cfbd.UpstreamBody;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves CFBD bodies from the cache tiers, fetching through {@link CfbdFetchVerticle} on a miss.
 *
 * <p>Consumes {@link #ADDRESS} with a {@link CfbdRequest} body and replies a {@link CacheReply}.
 * Concurrent misses for one request share one upstream call. An expired entry is served as
 * {@link CacheStatus#STALE} while one background refresh runs, and again when CFBD fails. With
 * no entry at all and CFBD failing, the stored responses are served ({@link CacheStatus#SNAPSHOT}) if
 * fallback is enabled; otherwise the CFBD failure is passed on, with its retry time.
 *
 * <p>Deploy one instance: the coalescer and the statistics belong to it.
 */
public final class CacheVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CacheVerticle.class);

  /** Event-bus address: request a {@link CfbdRequest}, reply a {@link CacheReply}. */
  public static final String ADDRESS = "cache.get";
  /** Cache look-ups by {@code result} ({@code X-Cache} in lower case) and {@code tier}. */
  public static final String REQUESTS_METER = "script.ohio.cache.requests";
  /** Callers served by another caller's upstream call. */
  public static final String COALESCED_METER = "script.ohio.cache.coalesced.waiters";
  /** Tier label of responses that no cache tier contained. */
  static final String TIER_NONE = "none";

  private final CacheOptions options;
  private final LocalResponseStore local;
  private final ResponseStore shared;
  private final Coalescer coalescer;
  private final TtlPolicy ttlPolicy;
  private final Function<CfbdRequest, Future<Buffer>> snapshotLookup;
  private final Duration upstreamTimeout;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Map<CacheStatus, AtomicLong> served = new EnumMap<>(CacheStatus.class);
  private MessageConsumer<CfbdRequest> consumer;

  /**
   * @param shared the Redis tier, or null for local only
   * @param snapshotLookup stored-response lookup used when CFBD fails, returning null when it has
   *     no body for the request; null when fallback is disabled
   * @param upstreamTimeout how long to wait for the CFBD verticle, retries included
   * @param registry receives the cache meters
   */
  public CacheVerticle(CacheOptions options, LocalResponseStore local, ResponseStore shared,
      Coalescer coalescer, TtlPolicy ttlPolicy, Function<CfbdRequest, Future<Buffer>> snapshotLookup,
      Duration upstreamTimeout, Clock clock, MeterRegistry registry) {
    this.options = options;
    this.local = local;
    this.shared = shared;
    this.coalescer = coalescer;
    this.ttlPolicy = ttlPolicy;
    this.snapshotLookup = snapshotLookup;
    this.upstreamTimeout = upstreamTimeout;
    this.clock = clock;
    this.registry = registry;
    for (CacheStatus status : CacheStatus.values()) {
      served.put(status, new AtomicLong());
    }
  }

  @Override
  public Future<?> start() {
    FunctionCounter.builder(COALESCED_METER, coalescer, Coalescer::joinedCount).register(registry);
    consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    Future<Void> sharedClosed = shared == null ? Future.succeededFuture() : shared.close();
    return Future.join(unregistered, sharedClosed);
  }

  /**
   * Returns a fresh entry of the in-process tier as a hit, or null when the request needs this
   * verticle (miss, stale entry, Redis tier, cache disabled). Thread-safe: the HTTP verticles call
   * it on their own event loops, so that hot keys cost no event-bus round trip.
   */
  public CacheReply freshLocalHit(CfbdRequest request) {
    if (!options.enabled()) {
      return null;
    }
    CachedResponse entry = local.getNow(request.cacheKey());
    if (entry == null || !entry.freshAt(clock.millis())) {
      return null;
    }
    served.get(CacheStatus.HIT).incrementAndGet();
    registry.counter(REQUESTS_METER, "result", "hit", "tier", CacheOptions.LOCAL).increment();
    return new CacheReply(entry, CacheStatus.HIT);
  }

  /** Returns how many responses were served with {@code status}. */
  public long servedCount(CacheStatus status) {
    return served.get(status).get();
  }

  /** Returns the shared tier, or null without Redis. */
  public ResponseStore sharedStore() {
    return shared;
  }

  private void handle(Message<CfbdRequest> message) {
    String[] tier = {TIER_NONE};
    get(message.body(), tier).onComplete(done -> {
      if (done.succeeded()) {
        CacheStatus status = done.result().status();
        served.get(status).incrementAndGet();
        boolean cached = status == CacheStatus.HIT || status == CacheStatus.STALE;
        registry.counter(REQUESTS_METER, "result", status.name().toLowerCase(Locale.ROOT),
            "tier", cached ? tier[0] : TIER_NONE).increment();
        message.reply(done.result());
      } else {
        GatewayFailure.from(done.cause()).failMessage(message);
      }
    });
  }

  /** Looks the request up; {@code tier[0]} receives the name of the tier that held the entry. */
  private Future<CacheReply> get(CfbdRequest request, String[] tier) {
    String key = request.cacheKey();
    if (!options.enabled()) {
      return coalescer.coalesce(key, () -> fetchOrFallBack(request, null));
    }

    return lookup(key, tier).compose(entry -> {
      if (entry != null && entry.freshAt(clock.millis())) {
        return Future.succeededFuture(new CacheReply(entry, CacheStatus.HIT));
      }
      if (entry != null) {
        refreshInBackground(request, entry);
        return Future.succeededFuture(new CacheReply(entry, CacheStatus.STALE));
      }
      return coalescer.coalesce(key, () -> fetchOrFallBack(request, null));
    });
  }

  private Future<CachedResponse> lookup(String key, String[] tier) {
    CachedResponse entry = local.getNow(key);
    if (entry != null || shared == null) {
      tier[0] = CacheOptions.LOCAL;
      return Future.succeededFuture(entry);
    }
    return shared.get(key).map(found -> {
      if (found != null) {
        tier[0] = CacheOptions.REDIS;
        local.put(key, found);
      }
      return found;
    });
  }

  private void refreshInBackground(CfbdRequest request, CachedResponse stale) {
    coalescer.coalesce(request.cacheKey(), () -> fetchOrFallBack(request, stale))
        .onFailure(error -> LOG.debug("Background refresh of {} failed: {}", request,
            error.getMessage()));
  }

  private Future<CacheReply> fetchOrFallBack(CfbdRequest request, CachedResponse stale) {
    return fetchAndStore(request)
        .map(fresh -> new CacheReply(fresh, CacheStatus.MISS))
        .recover(failure -> fallBack(request, stale, failure));
  }

  private Future<CachedResponse> fetchAndStore(CfbdRequest request) {
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(upstreamTimeout.toMillis());
    return vertx.eventBus().<UpstreamBody>request(CfbdFetchVerticle.ADDRESS, request, delivery)
        .map(Message::body)
        .compose(upstream -> vertx.executeBlocking(() -> entryFor(request, upstream), false))
        .compose(entry -> {
          if (options.enabled()) {
            local.put(request.cacheKey(), entry);
            if (shared != null) {
              shared.put(request.cacheKey(), entry);
            }
          }
          return Future.succeededFuture(entry);
        });
  }

  private CachedResponse entryFor(CfbdRequest request, UpstreamBody upstream) {
    Duration ttl = ttlPolicy.ttlFor(request, upstream.body());
    return CachedResponse.create(upstream.body(), clock.millis(), ttl.toMillis(),
        upstream.fromSnapshot());
  }

  private Future<CacheReply> fallBack(CfbdRequest request, CachedResponse stale, Throwable failure) {
    GatewayFailure upstreamFailure = GatewayFailure.from(failure);
    CachedResponse entry = stale != null ? stale : local.getNow(request.cacheKey());
    if (entry != null) {
      LOG.warn("Serving stale {} because CFBD failed: {}", request, upstreamFailure.detail());
      return Future.succeededFuture(new CacheReply(entry, CacheStatus.STALE));
    }
    if (snapshotLookup == null || upstreamFailure.status() < 500) {
      return Future.failedFuture(upstreamFailure);
    }
    return snapshotLookup.apply(request).compose(body -> {
      if (body == null) {
        return Future.failedFuture(upstreamFailure);
      }
      LOG.warn("Serving stored response for {} because CFBD failed: {}", request,
          upstreamFailure.detail());
      CachedResponse snapshot = CachedResponse.create(body, clock.millis(), 0, true);
      return Future.succeededFuture(new CacheReply(snapshot, CacheStatus.SNAPSHOT));
    });
  }
}
