package io.scriptohio.gateway;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scriptohio.gateway.backup.BackupVerticle;
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
import io.scriptohio.gateway.health.GatewayState;
import io.scriptohio.gateway.health.HealthVerticle;
import io.scriptohio.gateway.http.HttpVerticle;
import io.scriptohio.gateway.http.MetricsHandler;
import io.scriptohio.gateway.inference.InferenceDeployment;
import io.scriptohio.gateway.inference.ModelState;
import io.scriptohio.gateway.inference.ParityCheck;
import io.scriptohio.gateway.inference.PredictionBatch;
import io.scriptohio.gateway.inference.PredictionRequest;
import io.scriptohio.gateway.predictions.ModelCatalog;
import io.scriptohio.gateway.predictions.PredictionVerticle;
import io.scriptohio.gateway.predictions.RecentWeeks;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicReference;
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
  private BackupVerticle backupVerticle;
  private final RecentWeeks recentWeeks = new RecentWeeks();
  private PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final GatewayState state = new GatewayState();
  private final AtomicReference<Double> accuracy = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> brierScore = new AtomicReference<>(Double.NaN);
  private HealthVerticle healthVerticle;
  private String httpDeploymentId;
  private long evaluationTimer = -1;
  private Future<Void> shutdown;

  /** Share of finished games whose predicted winner won, from the last evaluation. */
  public static final String ACCURACY_METER = "script.ohio.prediction.accuracy";
  /** Mean squared error of the home-win probability on finished games, from the last evaluation. */
  public static final String BRIER_METER = "script.ohio.prediction.brier.score";
  /** Prediction requests served by the models. */
  public static final String PREDICTIONS_METER = "script.ohio.predictions.served";
  /** Games listed without a prediction because too many features were missing. */
  public static final String REJECTIONS_METER = "script.ohio.data.quality.rejections";
  /** Time between two refreshes of the accuracy gauges; each one reads a season of predictions. */
  public static final Duration EVALUATION_INTERVAL = Duration.ofHours(6);
  /** Delay of the first refresh of the accuracy gauges after start-up. */
  public static final Duration EVALUATION_FIRST_DELAY = Duration.ofMinutes(1);
  /** Regular-season weeks the accuracy gauges cover. */
  public static final int EVALUATION_LAST_WEEK = 15;

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

  /**
   * Uses {@code prometheus} for the gateway's meters and {@code /metrics}, so that they share the
   * registry that Vert.x was built with. Call before deploying.
   */
  public GatewayVerticle withMetrics(PrometheusMeterRegistry prometheus) {
    this.registry = prometheus;
    return this;
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
        .compose(ignored -> deployHealth())
        .compose(ignored -> deployFetcher())
        .compose(ignored -> deployCache())
        .compose(ignored -> deployInference())
        .compose(ignored -> checkParity())
        .compose(ignored -> deployPredictions())
        .compose(ignored -> deployHttp())
        .compose(ignored -> startTimers())
        .compose(ignored -> deployBackups())
        .onSuccess(ignored -> LOG.info("Gateway ready{}{}",
            withServers ? ": API on port " + config.http().port() : " without servers",
            config.cfbd().offline() ? " (offline: stored responses only, X-Data-Source: snapshot)" : ""));
  }

  @Override
  public Future<?> stop() {
    if (evaluationTimer >= 0) {
      vertx.cancelTimer(evaluationTimer);
    }
    // The ONNX sessions hold native memory that only an explicit close frees. When this verticle
    // is undeployed, Vert.x has already undeployed the inference verticles (its children), so
    // their undeploy fails as unknown while the sessions still close.
    return inference == null ? Future.succeededFuture() : inference.undeploy()
        .onFailure(error -> LOG.debug("Inference verticles were already undeployed: {}",
            error.getMessage()))
        .otherwiseEmpty();
  }

  /**
   * Shuts the gateway down gracefully: readiness returns 503 at once; after the grace period the
   * API server stops accepting connections and waits up to the shutdown timeout for in-flight
   * requests; then timers, Redis, the CFBD client and the ONNX sessions close as this verticle
   * and its children are undeployed. Safe to call more than once; every call returns the same
   * future. Vert.x itself stays open for the caller to close.
   */
  public synchronized Future<Void> shutdown() {
    if (shutdown != null) {
      return shutdown;
    }
    state.startShutdown();
    Duration grace = config.operations().shutdownGracePeriod();
    Duration timeout = config.operations().shutdownTimeout();
    LOG.info("Shutdown 1/3: readiness answers 503; the API keeps serving for {} s", grace.toSeconds());

    Promise<Void> graceOver = Promise.promise();
    vertx.setTimer(Math.max(1, grace.toMillis()), id -> graceOver.complete());
    shutdown = graceOver.future()
        .compose(ignored -> {
          LOG.info("Shutdown 2/3: the API stops accepting connections; waiting up to {} s for "
              + "in-flight requests", timeout.toSeconds());
          return httpDeploymentId == null ? Future.succeededFuture()
              : vertx.undeploy(httpDeploymentId);
        })
        .compose(ignored -> {
          state.httpListening(false);
          LOG.info("Shutdown 3/3: in-flight requests done or the shutdown timeout reached; closing "
              + "timers, Redis, the CFBD client "
              + "and the ONNX sessions");
          return vertx.undeploy(deploymentID());
        })
        .onSuccess(ignored -> LOG.info("Shutdown complete"))
        .onFailure(error -> LOG.error("Shutdown failed", error));
    return shutdown;
  }

  /** Returns what the health checks read. */
  public GatewayState state() {
    return state;
  }

  /** Returns the registry that {@code /metrics} renders. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Returns the port of the health server, or -1 without one. */
  public int healthPort() {
    return healthVerticle == null ? -1 : healthVerticle.actualPort();
  }

  /**
   * Evaluates the predictions of a season's regular weeks and sets the accuracy and Brier gauges.
   *
   * @return the evaluation reply (see {@link PredictionVerticle#EVALUATION_ADDRESS})
   */
  public Future<JsonObject> refreshEvaluation(int year, int fromWeek, int toWeek) {
    JsonObject request = new JsonObject().put("year", year).put("fromWeek", fromWeek)
        .put("toWeek", toWeek);
    DeliveryOptions delivery = new DeliveryOptions()
        .setSendTimeout(config.http().requestTimeout().toMillis() * 4);
    return vertx.eventBus().<CacheReply>request(PredictionVerticle.EVALUATION_ADDRESS, request,
            delivery)
        .map(reply -> reply.body().response().body().toJsonObject())
        .onSuccess(evaluation -> {
          JsonObject ensemble = evaluation.getJsonObject("models", new JsonObject())
              .getJsonObject("ensemble", new JsonObject());
          accuracy.set(ensemble.getDouble("accuracy", Double.NaN));
          brierScore.set(ensemble.getDouble("brier", Double.NaN));
          LOG.info("Prediction accuracy {} and Brier score {} over {} finished games of {}",
              accuracy.get(), brierScore.get(), evaluation.getInteger("completedGames"), year);
        });
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

  private Future<String> deployHealth() {
    if (!withServers) {
      return Future.succeededFuture("");
    }
    Path diskPath = config.cfbd().mockDataPath() != null ? config.cfbd().mockDataPath()
        : Paths.get("").toAbsolutePath();
    healthVerticle = new HealthVerticle(config.healthPort(), state, diskPath);
    return vertx.deployVerticle(healthVerticle);
  }

  private Future<String> deployFetcher() {
    fetchVerticle = new CfbdFetchVerticle(config.cfbd(), bucket, quota,
        config.http().requestTimeout(), clock, snapshotLookup(), registry);
    return vertx.deployVerticle(fetchVerticle)
        .onSuccess(id -> state.cfbd(config.cfbd().offline(), quota, fetchVerticle.client()));
  }

  private Future<String> deployCache() {
    if (config.cache().redis()) {
      redisStore = new RedisResponseStore(vertx, config.cache().redisUrl());
    }
    Function<CfbdRequest, Future<Buffer>> fallback =
        config.cfbd().mockDataFallbackEnabled() ? snapshotLookup() : null;
    cacheVerticle = new CacheVerticle(config.cache(), localStore, redisStore, new LocalCoalescer(),
        new TtlPolicy(config.cache().defaultTtl(), clock), fallback, upstreamBudget(), clock,
        registry);
    return vertx.deployVerticle(cacheVerticle)
        .onSuccess(id -> state.cache(localStore, (RedisResponseStore) redisStore));
  }

  private Future<Void> deployInference() {
    if (!withServers) {
      return Future.succeededFuture();
    }
    return InferenceDeployment.deploy(vertx, config.inference())
        .onSuccess(deployment -> {
          inference = deployment;
          deployment.models().meterRuns(registry);
          state.inference(deployment);
          FunctionCounter.builder(PREDICTIONS_METER, deployment.batcher(),
              batcher -> batcher.requestCount()).register(registry);
        })
        .mapEmpty();
  }

  /** Runs the recorded rows through the loaded models on a worker thread; readiness needs it. */
  private Future<Void> checkParity() {
    if (inference == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> ParityCheck.run(inference.models(),
            config.inference().modelsPath()), false)
        .onSuccess(result -> {
          state.parity(result);
          if (result.passed()) {
            LOG.info("Model parity check passed: {}", result.detail());
          } else {
            LOG.error("Model parity check failed, so the gateway stays unready: {}", result.detail());
          }
        })
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
              config.dataQualityThreshold(), config.warmUp(), config.http().requestTimeout(), clock,
              recentWeeks);
          FunctionCounter.builder(REJECTIONS_METER, predictionVerticle,
              PredictionVerticle::rejectionCount).register(registry);
          Gauge.builder(ACCURACY_METER, accuracy, AtomicReference::get).register(registry);
          Gauge.builder(BRIER_METER, brierScore, AtomicReference::get).register(registry);
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
    MetricsHandler metrics = new MetricsHandler(registry, config.http());
    return vertx.deployVerticle(() -> new HttpVerticle(config.http(), config.cfbd().offline(), clock,
            router -> router.get(MetricsHandler.PATH).handler(metrics),
            config.operations().shutdownTimeout(), recentWeeks, cacheVerticle::freshLocalHit),
            new DeploymentOptions().setInstances(httpInstances))
        .onSuccess(id -> {
          httpDeploymentId = id;
          state.httpListening(true);
        });
  }

  /**
   * Returns how long the cache waits for the CFBD verticle: a whole call with every retry. It is
   * longer than the request timeout on purpose, so that a slow response that a client stopped
   * waiting for is still cached instead of thrown away after CFBD charged for it.
   */
  private Duration upstreamBudget() {
    Duration worstCase = config.cfbd().worstCaseCall(config.http().requestTimeout());
    return worstCase.compareTo(config.http().requestTimeout()) > 0 ? worstCase
        : config.http().requestTimeout();
  }

  private Future<String> deployBackups() {
    if (!withServers || !config.operations().backupsEnabled()) {
      return Future.succeededFuture("");
    }
    backupVerticle = new BackupVerticle(localStore, config.operations().backupDir(),
        config.operations().backupInterval(), config.operations().backupRetention(), clock,
        registry);
    return vertx.deployVerticle(backupVerticle);
  }

  /** Returns the backup timer's verticle, or null when backups are off. */
  public BackupVerticle backupVerticle() {
    return backupVerticle;
  }

  private Future<Void> startTimers() {
    if (withServers) {
      // The first refresh waits a minute, so that it does not compete with the start-up warm-up.
      vertx.setTimer(EVALUATION_FIRST_DELAY.toMillis(), first -> refreshAccuracyGauges());
      evaluationTimer = vertx.setPeriodic(EVALUATION_INTERVAL.toMillis(),
          id -> refreshAccuracyGauges());
    }
    return Future.succeededFuture();
  }

  /**
   * Refreshes the accuracy and Brier gauges from the latest season with finished games: the
   * current one, or the previous one before the current season has any.
   */
  private void refreshAccuracyGauges() {
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
    // A season starts in late August, so before August the latest season is last year's.
    int season = now.getMonthValue() >= 8 ? now.getYear() : now.getYear() - 1;
    refreshEvaluation(season, 1, EVALUATION_LAST_WEEK)
        .compose(evaluation -> evaluation.getInteger("completedGames", 0) > 0
            ? Future.succeededFuture(evaluation)
            : refreshEvaluation(season - 1, 1, EVALUATION_LAST_WEEK))
        .onFailure(error -> LOG.warn("Refreshing the accuracy gauges failed; will retry in {} h: {}",
            EVALUATION_INTERVAL.toHours(), error.getMessage()));
  }

  /** Returns a lookup in the stored responses run on a worker thread, or null without any. */
  private Function<CfbdRequest, Future<Buffer>> snapshotLookup() {
    if (config.cfbd().mockDataPath() == null) {
      return null;
    }
    return request -> vertx.executeBlocking(() -> snapshots.body(request).orElse(null), false);
  }
}
