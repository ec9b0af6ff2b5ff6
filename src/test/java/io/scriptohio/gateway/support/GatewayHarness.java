package io.scriptohio.gateway.support;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scriptohio.gateway.GatewayVerticle;
import io.scriptohio.gateway.cfbd.CfbdStandIn;
import io.scriptohio.gateway.cfbd.LocalTokenBucket;
import io.scriptohio.gateway.cfbd.SnapshotStore;
import io.scriptohio.gateway.cfbd.TokenBucket;
import io.scriptohio.gateway.config.ConfigLoader;
import io.scriptohio.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a CFBD stand-in serving the data pack and a gateway in front of it, both on loopback,
 * with settings a test can override. Methods block, so call them from the test thread only.
 */
public final class GatewayHarness implements AutoCloseable {

  /** Key the stand-in accepts; long enough to pass the gateway's key check. */
  public static final String API_KEY = "test-key-0123456789abcdef";

  private static SnapshotStore dataPackStore;

  private final Vertx vertx;
  private final Map<String, String> env = new HashMap<>();
  private CfbdStandIn standIn;
  private GatewayVerticle gateway;
  private Clock clock = Clock.systemUTC();
  private TokenBucket bucket;
  private PrometheusMeterRegistry registry;
  private int apiPort;

  public GatewayHarness(Vertx vertx) {
    this.vertx = vertx;
    env.put("CFBD_API_KEY", API_KEY);
    env.put("CFBD_RATE_LIMIT_DELAY", "0.1");
    env.put("CFBD_RATE_LIMIT_BURST", "100");
    env.put("RETRY_DELAY", "0.01");
    // Generous limits: whole-season bodies take seconds to assemble on a loaded CI machine.
    env.put("CFBD_TIMEOUT", "10");
    env.put("REQUEST_TIMEOUT", "30");
    env.put("MOCK_DATA_FALLBACK_ENABLED", "false");
    // Tests count upstream calls and builds, which a background warm-up would disturb.
    env.put("FEATURES_WARM_UP", "false");
    env.put("BACKUP_INTERVAL", "0");
  }

  /** Returns the store over the data pack, opened once per test JVM. */
  public static synchronized SnapshotStore dataPackStore() {
    if (dataPackStore == null) {
      dataPackStore = SnapshotStore.open(DataPack.cfbd());
    }
    return dataPackStore;
  }

  /** Sets an environment variable of the gateway's configuration. */
  public GatewayHarness env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public GatewayHarness clock(Clock testClock) {
    this.clock = testClock;
    return this;
  }

  public GatewayHarness bucket(TokenBucket testBucket) {
    this.bucket = testBucket;
    return this;
  }

  /** Makes the gateway use the registry that the test's Vert.x was built with. */
  public GatewayHarness metrics(PrometheusMeterRegistry prometheus) {
    this.registry = prometheus;
    return this;
  }

  /** Starts the stand-in (unless offline) and the gateway. */
  public GatewayHarness start() {
    if (env.containsKey("CFBD_API_KEY")) {
      standIn = new CfbdStandIn(vertx, dataPackStore()).keys(API_KEY);
      int standInPort = standIn.start().await();
      env.putIfAbsent("CFBD_BASE_URL", "http://127.0.0.1:" + standInPort);
    }
    apiPort = Ports.free();
    env.put("METRICS_PORT", Integer.toString(apiPort));
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HEALTH_CHECK_PORT", Integer.toString(Ports.free()));

    GatewayConfig config = ConfigLoader.fromMaps(new JsonObject(), env);
    TokenBucket tokenBucket = bucket != null ? bucket
        : new LocalTokenBucket(config.cfbd().rateLimitDelay(), config.cfbd().rateLimitBurst());
    gateway = new GatewayVerticle(config, clock, tokenBucket, 2);
    if (registry != null) {
      gateway.withMetrics(registry);
    }
    vertx.deployVerticle(gateway).await();
    return this;
  }

  /** Removes the API key, so that the gateway starts offline on {@code MOCK_DATA_PATH}. */
  public GatewayHarness offline() {
    return offlineOn(DataPack.cfbd());
  }

  /** Removes the API key, so that the gateway starts offline on the stored responses in {@code folder}. */
  public GatewayHarness offlineOn(java.nio.file.Path folder) {
    env.remove("CFBD_API_KEY");
    env.put("MOCK_DATA_PATH", folder.toString());
    return this;
  }

  public CfbdStandIn standIn() {
    return standIn;
  }

  public GatewayVerticle gateway() {
    return gateway;
  }

  public int apiPort() {
    return apiPort;
  }

  public int healthPort() {
    return gateway.healthPort();
  }

  public static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Override
  public void close() {
    if (standIn != null) {
      standIn.close().await();
    }
  }
}
