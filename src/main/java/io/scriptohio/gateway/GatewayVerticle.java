package io.scriptohio.gateway;

import io.scriptohio.gateway.cache.CacheReply;
import io.scriptohio.gateway.cache.CacheVerticle;
import io.scriptohio.gateway.cache.LocalCoalescer;
import io.scriptohio.gateway.cache.LocalResponseStore;
import io.scriptohio.gateway.cache.RedisResponseStore;
import io.scriptohio.gateway.cache.ResponseStore;
import io.scriptohio.gateway.cache.TtlPolicy;
import io.scriptohio.gateway.cfbd.CfbdFetchVerticle;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.scriptohio.gateway.cfbd.LocalTokenBucket;
import io.scriptohio.gateway.cfbd.QuotaState;
import io.scriptohio.gateway.cfbd.SnapshotStore;
import io.scriptohio.gateway.cfbd.TokenBucket;
import io.scriptohio.gateway.cfbd.UpstreamBody;
import io.scriptohio.gateway.cache.CachedDataSource;
import io.scriptohio.gateway.config.GatewayConfig;
import io.scriptohio.gateway.features.FeatureService;
import io.scriptohio.gateway.http.HttpVerticle;
import io.scriptohio.gateway.inference.InferenceDeployment;
import io.scriptohio.gateway.inference.ModelState;
import io.scriptohio.gateway.inference.PredictionBatch;
import io.scriptohio.gateway.inference.PredictionRequest;
import io.scriptohio.gateway.predictions.ModelCatalog;
import io.scriptohio.gateway.predictions.PredictionVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway: opens the stored responses, then deploys the CFBD, cache, inference,
 * predictions and HTTP verticles in that order, so that no request arrives before the verticles
 * it needs are listening. A model that fails its checks stops the start.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewayConfig config;
  private final Clock clock;
  private final TokenBucket bucket;
  private final QuotaState quota;
  private final LocalResponseStore localStore;
  private final int httpInstances;
  private final boolean withServers;
  private SnapshotStore snapshots;
  private CfbdFetchVerticle fetchVerticle;
  private CacheVerticle cacheVerticle;
  private ResponseStore redisStore;
  private InferenceDeployment inference;
  private PredictionVerticle predictionVerticle;

  public GatewayVerticle(GatewayConfig config) {
    this(config, Clock.systemUTC(), new LocalTokenBucket(config.cfbd().rateLimitDelay(),
        config.cfbd().rateLimitBurst()), Runtime.getRuntime().availableProcessors());
  }

  /**
   * Creates a gateway without its HTTP servers, for commands that use the CFBD client and cache
   * in-process, such as the feature export.
   */
  public static GatewayVerticle withoutServers(GatewayConfig config) {
    return new GatewayVerticle(config, Clock.systemUTC(), new LocalTokenBucket(
        config.cfbd().rateLimitDelay(), config.cfbd().rateLimitBurst()), 0);
  }

  /** Creates a gateway with an injected clock and token bucket, for tests. */
  public GatewayVerticle(GatewayConfig config, Clock clock, TokenBucket bucket, int httpInstances) {
    this.config = config;
    this.clock = clock;
    this.bucket = bucket;
    this.quota = new QuotaState(clock);
    this.localStore = new LocalResponseStore(config.cache().maxBytes());
    this.httpInstances = httpInstances;
    this.withServers = httpInstances > 0;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, CfbdRequest.class);
    LocalCodec.register(vertx, UpstreamBody.class);
    LocalCodec.register(vertx, CacheReply.class);
    LocalCodec.register(vertx, PredictionRequest.class);
    LocalCodec.register(vertx, PredictionBatch.class);
    LOG.info("Starting Script Ohio Gateway ({}) with {}", config.environment(), config.toJson().encode());

    return openSnapshots()
        .compose(ignored -> deployFetcher())
        .compose(ignored -> deployCache())
        .compose(ignored -> deployInference())
        .compose(ignored -> deployPredictions())
        .compose(ignored -> deployHttp())
        .onSuccess(ignored -> LOG.info("Gateway ready{}{}",
            withServers ? ": API on port " + config.http().port() : " without servers",
            config.cfbd().offline() ? " (offline: stored responses only, X-Data-Source: snapshot)" : ""));
  }

  @Override
  public Future<?> stop() {
    // The ONNX sessions hold native memory that only an explicit close frees.
    return inference == null ? Future.succeededFuture() : inference.undeploy();
  }

  /** Returns the model serving, or null before it is deployed or without servers. */
  public InferenceDeployment inference() {
    return inference;
  }

  public PredictionVerticle predictionVerticle() {
    return predictionVerticle;
  }

  /** Returns the in-process cache tier, for tests and backups. */
  public LocalResponseStore localStore() {
    return localStore;
  }

  public QuotaState quota() {
    return quota;
  }

  public CacheVerticle cacheVerticle() {
    return cacheVerticle;
  }

  public CfbdFetchVerticle fetchVerticle() {
    return fetchVerticle;
  }

  private Future<Void> openSnapshots() {
    if (config.cfbd().mockDataPath() == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> SnapshotStore.open(config.cfbd().mockDataPath()))
        .onSuccess(store -> {
          snapshots = store;
          LOG.info("Stored CFBD responses: {}", store);
        })
        .mapEmpty();
  }

  private Future<String> deployFetcher() {
    fetchVerticle = new CfbdFetchVerticle(config.cfbd(), bucket, quota,
        config.http().requestTimeout(), clock, snapshotLookup());
    return vertx.deployVerticle(fetchVerticle);
  }

  private Future<String> deployCache() {
    if (config.cache().redis()) {
      redisStore = new RedisResponseStore(vertx, config.cache().redisUrl());
    }
    Function<CfbdRequest, Future<Buffer>> fallback =
        config.cfbd().mockDataFallbackEnabled() ? snapshotLookup() : null;
    cacheVerticle = new CacheVerticle(config.cache(), localStore, redisStore, new LocalCoalescer(),
        new TtlPolicy(config.cache().defaultTtl(), clock), fallback, config.http().requestTimeout(),
        clock);
    return vertx.deployVerticle(cacheVerticle);
  }

  private Future<Void> deployInference() {
    if (!withServers) {
      return Future.succeededFuture();
    }
    return InferenceDeployment.deploy(vertx, config.inference())
        .onSuccess(deployment -> inference = deployment)
        .mapEmpty();
  }

  private Future<String> deployPredictions() {
    if (!withServers) {
      return Future.succeededFuture("");
    }
    CachedDataSource data = new CachedDataSource(vertx, config.http().requestTimeout());
    FeatureService features = new FeatureService(vertx, data);
    return vertx.executeBlocking(() -> ModelCatalog.read(config.inference().modelsPath(),
            this::modelStates))
        .compose(catalog -> {
          predictionVerticle = new PredictionVerticle(features, data, catalog,
              config.dataQualityThreshold(), config.warmUp(), config.http().requestTimeout(), clock);
          return vertx.deployVerticle(predictionVerticle);
        });
  }

  private JsonArray modelStates() {
    JsonArray states = new JsonArray();
    for (ModelState state : inference.modelStates()) {
      states.add(new JsonObject()
          .put("name", state.name())
          .put("version", state.version())
          .put("loaded", state.loaded()));
    }
    return states;
  }

  private Future<String> deployHttp() {
    if (!withServers) {
      return Future.succeededFuture("");
    }
    return vertx.deployVerticle(() -> new HttpVerticle(config.http(), config.cfbd().offline(), clock,
        router -> { }),
        new DeploymentOptions().setInstances(httpInstances));
  }

  /** Returns a lookup in the stored responses run on a worker thread, or null without any. */
  private Function<CfbdRequest, Future<Buffer>> snapshotLookup() {
    if (config.cfbd().mockDataPath() == null) {
      return null;
    }
    return request -> vertx.executeBlocking(() -> snapshots.body(request).orElse(null), false);
  }
}
