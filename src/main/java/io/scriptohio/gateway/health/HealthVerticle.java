package io.scriptohio.gateway.health;

import io.scriptohio.gateway.cache.LocalResponseStore;
import io.scriptohio.gateway.cache.RedisResponseStore;
import io.scriptohio.gateway.cfbd.CfbdClient;
import io.scriptohio.gateway.cfbd.QuotaState;
import io.scriptohio.gateway.inference.InferenceDeployment;
import io.scriptohio.gateway.inference.ModelState;
import io.scriptohio.gateway.inference.ParityCheck;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health server on its own port, so that probes never queue behind API traffic.
 *
 * <ul>
 *   <li>{@code GET /health}: every check with details. All healthy: 200 {@code healthy}; any
 *       unhealthy: 503 {@code unhealthy}; otherwise 200 {@code degraded}. CFBD is judged from the
 *       circuit state, the last upstream results and the quota, never by calling CFBD.</li>
 *   <li>{@code GET /health/live}: an event-bus round trip under {@link #CHECK_TIMEOUT_MILLIS};
 *       never depends on CFBD or Redis, so an upstream outage does not restart pods.</li>
 *   <li>{@code GET /health/ready}: models loaded and parity-checked, API server listening, cache
 *       usable and no shutdown under way. CFBD stays out of readiness, because the gateway keeps
 *       serving cached and stored data while CFBD is down.</li>
 * </ul>
 * A check that throws or times out is reported as down under its own name.
 */
public final class HealthVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HealthVerticle.class);

  /** Event-bus address of the liveness round trip. */
  public static final String PING_ADDRESS = "health.ping";
  /** Time a single check may take before it counts as failed. */
  public static final long CHECK_TIMEOUT_MILLIS = 2_000;
  /** Process CPU share of all cores above which the system check reports degraded. */
  public static final double CPU_DEGRADED = 0.9;
  /** Heap use, as a share of the maximum heap, above which the system check reports degraded. */
  public static final double HEAP_DEGRADED = 0.9;
  /** Free disk below which the system check reports degraded: backups need room. */
  public static final long DISK_DEGRADED_BYTES = 100L * 1024 * 1024;
  /** CFBD calls left, as a share of the monthly limit, below which CFBD reports degraded. */
  public static final double QUOTA_DEGRADED = 0.1;

  static final String HEALTHY = "healthy";
  static final String DEGRADED = "degraded";
  static final String UNHEALTHY = "unhealthy";

  private final int port;
  private final GatewayState state;
  private final Path diskPath;
  private HealthChecks details;
  private HealthChecks readiness;
  private HttpServer server;
  private MessageConsumer<String> ping;

  /**
   * @param port port to listen on, 0 for any free port
   * @param diskPath folder whose file system the system check measures
   */
  public HealthVerticle(int port, GatewayState state, Path diskPath) {
    this.port = port;
    this.state = state;
    this.diskPath = diskPath;
  }

  @Override
  public Future<?> start() {
    details = HealthChecks.create(vertx);
    register(details, "cfbd", this::checkCfbd);
    register(details, "cache", this::checkCache);
    register(details, "models", this::checkModels);
    register(details, "system", this::checkSystem);
    register(details, "uptime", this::checkUptime);

    readiness = HealthChecks.create(vertx);
    register(readiness, "models", this::readyModels);
    register(readiness, "http", promise -> promise.complete(state.httpListening()
        ? Status.OK() : Status.KO(new JsonObject().put("reason", "API server not listening"))));
    register(readiness, "cache", this::readyCache);
    register(readiness, "shutdown", promise -> promise.complete(state.shuttingDown()
        ? Status.KO(new JsonObject().put("reason", "shutting down")) : Status.OK()));

    ping = vertx.eventBus().consumer(PING_ADDRESS, message -> message.reply("pong"));

    Router router = Router.router(vertx);
    router.get("/health").handler(this::handleDetails);
    router.get("/health/live").handler(this::handleLive);
    router.get("/health/ready").handler(this::handleReady);
    Future<HttpServer> listening = vertx.createHttpServer(new HttpServerOptions().setPort(port))
        .requestHandler(router)
        .listen()
        .onSuccess(started -> {
          server = started;
          LOG.info("Health server listening on port {}", started.actualPort());
        });
    return Future.all(ping.completion(), listening);
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = ping == null ? Future.succeededFuture() : ping.unregister();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return Future.join(unregistered, closed);
  }

  /** Returns the port the server listens on, or -1 before it does. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** Registers a check that fails under its name when it throws instead of completing. */
  private static void register(HealthChecks checks, String name, Consumer<Promise<Status>> check) {
    checks.register(name, CHECK_TIMEOUT_MILLIS, promise -> {
      try {
        check.accept(promise);
      } catch (RuntimeException e) {
        LOG.warn("Health check {} failed: {}", name, e.toString());
        promise.tryFail(e);
      }
    });
  }

  // ---- routes

  private void handleDetails(RoutingContext context) {
    details.checkStatus().onComplete(done -> {
      List<CheckResult> checks = done.succeeded() ? done.result().getChecks() : List.of();
      String overall = overall(checks);
      JsonObject body = new JsonObject()
          .put("status", overall)
          .put("checks", describe(checks));
      send(context, UNHEALTHY.equals(overall) ? 503 : 200, body);
    });
  }

  private void handleLive(RoutingContext context) {
    long started = System.nanoTime();
    vertx.eventBus().request(PING_ADDRESS, "ping",
            new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MILLIS).setLocalOnly(true))
        .onComplete(done -> {
          JsonObject body = new JsonObject()
              .put("status", done.succeeded() ? "alive" : "dead")
              .put("eventLoopRoundTripMillis", (System.nanoTime() - started) / 1_000_000.0);
          send(context, done.succeeded() ? 200 : 503, body);
        });
  }

  private void handleReady(RoutingContext context) {
    readiness.checkStatus().onComplete(done -> {
      List<CheckResult> checks = done.succeeded() ? done.result().getChecks() : List.of();
      // An empty group reads as up in vertx-health-check, so it must not count as ready here.
      boolean ready = checks != null && !checks.isEmpty()
          && checks.stream().allMatch(check -> Boolean.TRUE.equals(check.getUp()));
      JsonObject body = new JsonObject()
          .put("status", ready ? "ready" : "not ready")
          .put("checks", describe(checks));
      send(context, ready ? 200 : 503, body);
    });
  }

  private static void send(RoutingContext context, int status, JsonObject body) {
    context.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.toBuffer());
  }

  /** Returns the overall status: any check down is unhealthy, any degraded check degraded. */
  static String overall(List<CheckResult> checks) {
    if (checks == null || checks.isEmpty()) {
      return UNHEALTHY;
    }
    String overall = HEALTHY;
    for (CheckResult check : checks) {
      String level = level(check);
      if (UNHEALTHY.equals(level)) {
        return UNHEALTHY;
      }
      if (DEGRADED.equals(level)) {
        overall = DEGRADED;
      }
    }
    return overall;
  }

  private static String level(CheckResult check) {
    if (!Boolean.TRUE.equals(check.getUp())) {
      return UNHEALTHY;
    }
    JsonObject data = check.getData();
    return data == null ? HEALTHY : data.getString("level", HEALTHY);
  }

  private static JsonArray describe(List<CheckResult> checks) {
    JsonArray array = new JsonArray();
    if (checks == null) {
      return array;
    }
    for (CheckResult check : checks) {
      JsonObject data = check.getData() == null ? new JsonObject() : check.getData().copy();
      if (check.getFailure() != null) {
        data.put("error", String.valueOf(check.getFailure().getMessage()));
      }
      array.add(new JsonObject()
          .put("name", check.getId())
          .put("status", level(check))
          .put("data", data));
    }
    return array;
  }

  private static Status leveled(String level, JsonObject data) {
    data.put("level", level);
    return UNHEALTHY.equals(level) ? Status.KO(data) : Status.OK(data);
  }

  // ---- detail checks

  private void checkCfbd(Promise<Status> promise) {
    QuotaState quota = state.quota();
    CfbdClient client = state.client();
    JsonObject data = new JsonObject().put("offline", state.offline());
    if (state.offline()) {
      promise.complete(leveled(HEALTHY, data.put("reason", "offline: stored responses only")));
      return;
    }
    if (client == null || quota == null) {
      promise.complete(leveled(UNHEALTHY, data.put("reason", "CFBD client not started")));
      return;
    }

    CircuitBreakerState circuit = client.circuitState();
    long remaining = quota.remainingCalls();
    long limit = quota.monthlyLimit();
    data.put("circuit", circuit.name().toLowerCase())
        .put("remainingCalls", remaining)
        .put("monthlyLimit", limit)
        .put("lastSuccessMillis", client.lastSuccessMillis())
        .put("lastFailureMillis", client.lastFailureMillis());
    if (circuit == CircuitBreakerState.OPEN) {
      promise.complete(leveled(UNHEALTHY, data.put("reason", "circuit open after repeated failures")));
    } else if (quota.exhausted()) {
      promise.complete(leveled(UNHEALTHY, data.put("reason", "monthly quota exhausted until "
          + quota.exhaustedUntil())));
    } else if (circuit == CircuitBreakerState.HALF_OPEN
        || client.lastFailureMillis() > client.lastSuccessMillis()) {
      promise.complete(leveled(DEGRADED, data.put("reason", "the last upstream call failed")));
    } else if (limit > 0 && remaining >= 0 && remaining < limit * QUOTA_DEGRADED) {
      promise.complete(leveled(DEGRADED, data.put("reason", "less than 10 % of the quota left")));
    } else {
      promise.complete(leveled(HEALTHY, data));
    }
  }

  private void checkCache(Promise<Status> promise) {
    LocalResponseStore local = state.localStore();
    RedisResponseStore redis = state.redisStore();
    JsonObject data = new JsonObject().put("localEntries", local == null ? 0 : local.size());
    if (redis == null) {
      promise.complete(leveled(local == null ? UNHEALTHY : HEALTHY, data.put("type", "local")));
      return;
    }
    data.put("type", "redis");
    redis.ping().onComplete(done -> {
      if (done.succeeded()) {
        promise.tryComplete(leveled(HEALTHY, data.put("redis", "up")));
      } else {
        // The local tier keeps serving, so a Redis outage degrades rather than breaks the cache.
        promise.tryComplete(leveled(DEGRADED, data.put("redis", "down")
            .put("reason", "Redis PING failed: " + done.cause().getMessage())));
      }
    });
  }

  private void checkModels(Promise<Status> promise) {
    InferenceDeployment inference = state.inference();
    List<ModelState> models = inference == null ? List.of() : inference.modelStates();
    long loaded = inference != null && inference.ready()
        ? models.stream().filter(ModelState::loaded).count() : 0;
    JsonObject data = new JsonObject().put("loaded", loaded).put("total", 3);
    ParityCheck.Result parity = state.parity();
    if (parity != null) {
      data.put("parity", parity.detail());
    }
    String level = UNHEALTHY;
    if (loaded >= 3) {
      level = HEALTHY;
    } else if (loaded == 2) {
      level = DEGRADED;
    }
    if (parity != null && !parity.passed()) {
      level = UNHEALTHY;
    }
    promise.complete(leveled(level, data));
  }

  private void checkSystem(Promise<Status> promise) {
    vertx.executeBlocking(() -> {
      double cpu = processCpu();
      Runtime runtime = Runtime.getRuntime();
      long heapUsed = runtime.totalMemory() - runtime.freeMemory();
      long heapMax = runtime.maxMemory();
      long diskFree = new File(diskPath.toString()).getUsableSpace();
      JsonObject data = new JsonObject()
          .put("processCpu", cpu)
          .put("heapUsedBytes", heapUsed)
          .put("heapMaxBytes", heapMax)
          .put("diskPath", diskPath.toString())
          .put("diskFreeBytes", diskFree);
      boolean degraded = cpu > CPU_DEGRADED || heapUsed > heapMax * HEAP_DEGRADED
          || diskFree < DISK_DEGRADED_BYTES;
      return leveled(degraded ? DEGRADED : HEALTHY, data);
    }, false).onComplete(done -> {
      if (done.succeeded()) {
        promise.tryComplete(done.result());
      } else {
        promise.tryFail(done.cause());
      }
    });
  }

  private void checkUptime(Promise<Status> promise) {
    long seconds = (System.currentTimeMillis() - state.startedMillis()) / 1000;
    promise.complete(leveled(HEALTHY, new JsonObject().put("seconds", seconds)));
  }

  // ---- readiness checks

  private void readyModels(Promise<Status> promise) {
    InferenceDeployment inference = state.inference();
    ParityCheck.Result parity = state.parity();
    if (inference == null || !inference.ready()) {
      promise.complete(Status.KO(new JsonObject().put("reason", "models not loaded")));
    } else if (parity == null || !parity.passed()) {
      promise.complete(Status.KO(new JsonObject().put("reason", parity == null
          ? "parity check not run yet" : "parity check failed: " + parity.detail())));
    } else {
      promise.complete(Status.OK(new JsonObject().put("parity", parity.detail())));
    }
  }

  private void readyCache(Promise<Status> promise) {
    LocalResponseStore local = state.localStore();
    // The local tier alone can serve, so Redis being down does not make the pod unready.
    promise.complete(local != null ? Status.OK(new JsonObject().put("localEntries", local.size()))
        : Status.KO(new JsonObject().put("reason", "cache not started")));
  }

  private static double processCpu() {
    java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    if (bean instanceof com.sun.management.OperatingSystemMXBean) {
      return Math.max(0, ((com.sun.management.OperatingSystemMXBean) bean).getProcessCpuLoad());
    }
    return 0;
  }
}
