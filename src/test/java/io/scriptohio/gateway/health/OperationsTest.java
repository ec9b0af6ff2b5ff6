package io.scriptohio.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scriptohio.gateway.Main;
import io.scriptohio.gateway.cfbd.Fault;
import io.scriptohio.gateway.support.GatewayHarness;
import io.scriptohio.gateway.support.MutableClock;
import io.scriptohio.gateway.support.Ports;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Health endpoints, metrics, the CFBD circuit breaker and the graceful shutdown, end to end. */
@ExtendWith(VertxExtension.class)
class OperationsTest {

  private static final String WEEK_12 = "games?year=2025&week=12&seasonType=regular&classification=fbs";
  private static final String WEEK_11 = "games?year=2025&week=11&seasonType=regular&classification=fbs";
  private static final String WEEK_10 = "games?year=2025&week=10&seasonType=regular&classification=fbs";
  private static final String WEEK_9 = "games?year=2025&week=9&seasonType=regular&classification=fbs";
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

  private Vertx vertx;
  private WebClient client;
  private GatewayHarness harness;
  private Vertx metricsVertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(256));
    this.harness = new GatewayHarness(vertx);
  }

  @AfterEach
  void tearDown() {
    harness.close();
    if (metricsVertx != null) {
      metricsVertx.close().await();
    }
  }

  private HttpResponse<Buffer> api(String pathAndQuery) {
    return client.get(harness.apiPort(), "127.0.0.1", "/api/v1/cfbd/" + pathAndQuery).send().await();
  }

  private HttpResponse<Buffer> health(String path) {
    return client.get(harness.healthPort(), "127.0.0.1", path).send().await();
  }

  private static JsonObject check(JsonObject body, String name) {
    for (Object check : body.getJsonArray("checks")) {
      if (name.equals(((JsonObject) check).getString("name"))) {
        return (JsonObject) check;
      }
    }
    throw new AssertionError("no check named " + name + " in " + body.encode());
  }

  @Test
  void live_upstreamAndRedisDown() {
    harness.env("RETRY_ATTEMPTS", "1")
        .env("CIRCUIT_FAILURE_THRESHOLD", "2")
        .env("CACHE_TYPE", "redis")
        .env("REDIS_URL", "redis://127.0.0.1:" + Ports.free())
        .start();
    harness.standIn().failAll(Fault.status(503));

    api(WEEK_12);
    api(WEEK_11);
    HttpResponse<Buffer> live = health("/health/live");
    HttpResponse<Buffer> details = health("/health");

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(harness.gateway().fetchVerticle().client().circuitState())
        .isEqualTo(CircuitBreakerState.OPEN);
    assertThat(details.statusCode()).isEqualTo(503);
    JsonObject body = details.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("unhealthy");
    assertThat(check(body, "cfbd").getString("status")).isEqualTo("unhealthy");
    assertThat(check(body, "cache").getString("status")).isEqualTo("degraded");
    assertThat(check(body, "models").getString("status")).isEqualTo("healthy");
    assertThat(check(body, "uptime").getString("status")).isEqualTo("healthy");
  }

  @Test
  void health_allHealthyOffline() {
    harness.offline().start();

    HttpResponse<Buffer> details = health("/health");
    HttpResponse<Buffer> ready = health("/health/ready");

    assertThat(details.statusCode()).isEqualTo(200);
    assertThat(details.bodyAsJsonObject().getString("status")).isIn("healthy", "degraded");
    assertThat(check(details.bodyAsJsonObject(), "models").getJsonObject("data").getString("parity"))
        .contains("recorded rows agree");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("ready");
  }

  @Test
  void ready_beforeModelsLoad() {
    GatewayState state = new GatewayState();
    HealthVerticle verticle = new HealthVerticle(0, state, Paths.get("").toAbsolutePath());
    vertx.deployVerticle(verticle).await();

    HttpResponse<Buffer> ready = client.get(verticle.actualPort(), "127.0.0.1", "/health/ready")
        .send().await();
    HttpResponse<Buffer> live = client.get(verticle.actualPort(), "127.0.0.1", "/health/live")
        .send().await();

    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject models = check(ready.bodyAsJsonObject(), "models");
    assertThat(models.getString("status")).isEqualTo("unhealthy");
    assertThat(models.getJsonObject("data").getString("reason")).isEqualTo("models not loaded");
    assertThat(live.statusCode()).isEqualTo(200);
  }

  @Test
  void shutdown_twoHundredInFlightComplete() {
    harness.env("SHUTDOWN_GRACE_PERIOD", "1").env("SHUTDOWN_TIMEOUT", "20").start();
    harness.standIn().latencyMillis(1_500);
    int healthPort = harness.healthPort();
    assertThat(health("/health/ready").statusCode()).isEqualTo(200);

    List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      inFlight.add(client.get(harness.apiPort(), "127.0.0.1", "/api/v1/cfbd/" + WEEK_12).send());
    }
    while (harness.standIn().totalCalls() == 0) {
      vertx.timer(10).await();
    }
    Future<Void> shutdown = harness.gateway().shutdown();
    HttpResponse<Buffer> ready = client.get(healthPort, "127.0.0.1", "/health/ready").send().await();
    Future.join(new ArrayList<>(inFlight)).await();
    shutdown.await();

    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(check(ready.bodyAsJsonObject(), "shutdown").getString("status"))
        .isEqualTo("unhealthy");
    long ok = inFlight.stream().filter(f -> f.succeeded() && f.result().statusCode() == 200).count();
    assertThat(ok).isEqualTo(200);
    assertThat(inFlight.get(0).result().bodyAsJsonArray()).isNotEmpty();
  }

  @Test
  void circuit_opensServesStaleThenCloses() {
    MutableClock clock = MutableClock.startingNow();
    harness.env("RETRY_ATTEMPTS", "1")
        .env("CIRCUIT_FAILURE_THRESHOLD", "2")
        .env("CIRCUIT_RESET_TIMEOUT", "0.5")
        .clock(clock)
        .start();
    HttpResponse<Buffer> first = api(WEEK_12);
    clock.advance(Duration.ofDays(8));
    harness.standIn().failAll(Fault.status(500));

    api(WEEK_11);
    api(WEEK_10);
    long callsWhenOpened = harness.standIn().totalCalls();
    HttpResponse<Buffer> stale = api(WEEK_12);
    HttpResponse<Buffer> uncached = api(WEEK_9);
    long callsWhileOpen = harness.standIn().totalCalls();

    assertThat(harness.gateway().fetchVerticle().client().circuitState())
        .isEqualTo(CircuitBreakerState.OPEN);
    assertThat(callsWhenOpened).isEqualTo(3);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.getHeader("X-Cache")).isEqualTo("STALE");
    assertThat(stale.body()).isEqualTo(first.body());
    assertThat(uncached.statusCode()).isEqualTo(503);
    assertThat(Long.parseLong(uncached.getHeader("Retry-After"))).isBetween(1L, 1L);
    assertThat(callsWhileOpen).isEqualTo(callsWhenOpened);

    harness.standIn().recover();
    while (harness.gateway().fetchVerticle().client().circuitState() == CircuitBreakerState.OPEN) {
      vertx.timer(20).await();
    }
    HttpResponse<Buffer> probe = api(WEEK_9);

    assertThat(probe.statusCode()).isEqualTo(200);
    assertThat(probe.getHeader("X-Cache")).isEqualTo("MISS");
    assertThat(harness.standIn().totalCalls()).isEqualTo(callsWhileOpen + 1);
    assertThat(harness.gateway().fetchVerticle().client().circuitState())
        .isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void metrics_countsWhatTheTestDrove() {
    String registryName = "ops-test-" + System.nanoTime();
    metricsVertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(Main.metricsOptions(registryName)))
        .build();
    PrometheusMeterRegistry registry = (PrometheusMeterRegistry) BackendRegistries.getNow(registryName);
    harness = new GatewayHarness(metricsVertx).metrics(registry);
    harness.env("RETRY_ATTEMPTS", "3").env("CIRCUIT_FAILURE_THRESHOLD", "10").start();

    api(WEEK_12);
    api(WEEK_12);
    harness.standIn().failAll(Fault.status(500));
    HttpResponse<Buffer> failed = api(WEEK_11);
    client.get(harness.apiPort(), "127.0.0.1", "/no/such/path/1").send().await();
    client.get(harness.apiPort(), "127.0.0.1", "/no/such/path/2").send().await();
    client.request(HttpMethod.valueOf("INVENTED"), harness.apiPort(), "127.0.0.1", "/no/such/path/3")
        .send().await();
    HttpResponse<Buffer> scrape = client.get(harness.apiPort(), "127.0.0.1", "/metrics").send().await();

    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.getHeader("Content-Type")).startsWith("text/plain");
    Map<String, Double> samples = parse(scrape.bodyAsString());
    assertThat(samples.get("script_ohio_cfbd_requests_total{endpoint=\"games\",status=\"500\"}"))
        .isEqualTo(3.0);
    assertThat(samples.get("script_ohio_cfbd_requests_total{endpoint=\"games\",status=\"200\"}"))
        .isEqualTo(1.0);
    assertThat(samples.get("script_ohio_cache_requests_total{result=\"hit\",tier=\"local\"}"))
        .isEqualTo(1.0);
    assertThat(samples.get("script_ohio_cache_requests_total{result=\"miss\",tier=\"none\"}"))
        .isEqualTo(1.0);
    assertThat(samples.get("script_ohio_cfbd_calls_remaining")).isGreaterThan(0.0);
    assertThat(samples.get("script_ohio_circuit_state")).isEqualTo(0.0);
    assertThat(samples.get("script_ohio_cfbd_request_duration_seconds_count{endpoint=\"games\"}"))
        .isEqualTo(4.0);
    assertThat(samples.get("script_ohio_cfbd_bucket_wait_seconds_count")).isEqualTo(4.0);
    assertThat(samples).containsKey("script_ohio_cache_coalesced_waiters_total");
    assertThat(samples).containsKey("script_ohio_data_quality_rejections_total");
    assertThat(samples).containsKey("script_ohio_predictions_served_total");
    assertThat(samples).containsKey("script_ohio_prediction_accuracy");
    assertThat(samples).containsKey("process_cpu_usage");
    assertThat(samples.keySet()).anyMatch(key -> key.startsWith("vertx_http_server_requests_total{")
        && key.contains("route=\"/api/v1/cfbd/\""));
    assertThat(samples.keySet()).anyMatch(key -> key.startsWith("script_ohio_inference_duration_seconds_bucket{"));
    assertThat(samples.keySet()).noneMatch(key -> key.contains("/no/such/path"));
    assertThat(samples.keySet()).noneMatch(key -> key.contains("INVENTED"));
    assertThat(samples.keySet()).anyMatch(key -> key.startsWith("vertx_http_server_requests_total{")
        && key.contains("method=\"OTHER\""));
    assertThat(samples.keySet()).anyMatch(key -> key.startsWith("vertx_http_server_requests_total{")
        && key.contains("method=\"GET\""));
  }

  @Test
  void metrics_forbiddenOutsideRanges() {
    harness.env("METRICS_ALLOWED_CIDRS", "10.0.0.0/8").start();

    HttpResponse<Buffer> scrape = client.get(harness.apiPort(), "127.0.0.1", "/metrics").send().await();

    assertThat(scrape.statusCode()).isEqualTo(403);
    assertThat(scrape.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(scrape.bodyAsJsonObject().getString("detail")).contains("127.0.0.1");
  }

  /** Parses the Prometheus text format strictly: every line is a comment or a sample. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = SAMPLE.matcher(line);
      assertThat(matcher.matches()).as("Prometheus sample line: " + line).isTrue();
      String labels = matcher.group(2) == null ? "" : matcher.group(2);
      samples.put(matcher.group(1) + labels, Double.parseDouble(matcher.group(3)));
    }
    return samples;
  }
}
