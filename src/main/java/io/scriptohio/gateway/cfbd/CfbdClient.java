package io.scriptohio.gateway.cfbd;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scriptohio.gateway.GatewayFailure;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP client of the CFBD API v2: bearer authentication, a token bucket in front of every call,
 * retries with exponential backoff and jitter, and awareness of the monthly call quota.
 *
 * <p>All methods must be called on the event loop of the verticle that created the client, and
 * return futures completed on it. Failures are {@link GatewayFailure}s: 400/404 as CFBD sent
 * them, 502 for a rejected key or a broken upstream, 503 with a retry time when the quota is used
 * up or the bucket would make the caller wait too long, 504 when CFBD timed out.
 *
 * <p>A circuit breaker counts calls that failed upstream after their retries (5xx, timeouts,
 * connection errors, malformed bodies); 400, 401, 404, the quota state and bucket rejections never
 * count. Once open, calls fail at once with 503 and a {@code Retry-After} of the time left until
 * one half-open probe call is let through; a successful probe closes the circuit again.
 */
public final class CfbdClient {

  private static final Logger LOG = LoggerFactory.getLogger(CfbdClient.class);

  /** Statuses worth a retry: the upstream or something in front of it failed transiently. */
  private static final Set<Integer> RETRYABLE_STATUSES = Set.of(500, 502, 503, 504);
  /** Quota block when CFBD returns 429 and {@code /info} cannot say when it resets. */
  private static final Duration UNKNOWN_RESET_BLOCK = Duration.ofHours(1);
  /** Largest random addition to a backoff, as a fraction of it, so that retries spread out. */
  private static final double JITTER_FRACTION = 0.25;
  private static final String REMAINING_HEADER = "X-CallLimit-Remaining";

  /** Upstream HTTP calls by endpoint and status (or {@code timeout}, {@code error}), retries included. */
  public static final String REQUESTS_METER = "script.ohio.cfbd.requests";
  /** Time of one upstream HTTP exchange, by endpoint. */
  public static final String DURATION_METER = "script.ohio.cfbd.request.duration";
  public static final String REMAINING_METER = "script.ohio.cfbd.calls.remaining";
  public static final String MONTHLY_LIMIT_METER = "script.ohio.cfbd.monthly.limit";
  /** Time a call waited for a token-bucket token. */
  public static final String BUCKET_WAIT_METER = "script.ohio.cfbd.bucket.wait";
  /** Calls failed fast because the token-bucket wait would exceed the request timeout. */
  public static final String BUCKET_REJECTIONS_METER = "script.ohio.cfbd.bucket.rejections";
  /** Circuit state: 0 closed, 1 open, 2 half-open. */
  public static final String CIRCUIT_STATE_METER = "script.ohio.circuit.state";
  /** Circuit state changes, by the state entered. */
  public static final String CIRCUIT_TRANSITIONS_METER = "script.ohio.circuit.transitions";

  private final Vertx vertx;
  private final CfbdOptions options;
  private final TokenBucket bucket;
  private final QuotaState quota;
  private final Duration maxQueueWait;
  private final Clock clock;
  private final WebClient client;
  private final AtomicBoolean keyRejectionReported = new AtomicBoolean();
  private final AtomicLong calls = new AtomicLong();
  private final MeterRegistry registry;
  private final Timer bucketWait;
  private final Counter bucketRejections;
  private final CircuitBreaker breaker;
  private final AtomicLong openedAtNanos = new AtomicLong();
  private final AtomicLong lastSuccessMillis = new AtomicLong(-1);
  private final AtomicLong lastFailureMillis = new AtomicLong(-1);

  /**
   * @param maxQueueWait longest time a call may wait for a token before it fails fast
   * @param registry receives the upstream, bucket, quota and circuit meters
   */
  public CfbdClient(Vertx vertx, CfbdOptions options, TokenBucket bucket, QuotaState quota,
      Duration maxQueueWait, Clock clock, MeterRegistry registry) {
    this.vertx = vertx;
    this.options = options;
    this.bucket = bucket;
    this.quota = quota;
    this.maxQueueWait = maxQueueWait;
    this.clock = clock;
    this.registry = registry;
    this.client = WebClient.create(vertx, clientOptions(options.baseUrl()),
        new PoolOptions().setHttp1MaxSize(options.maxConcurrentRequests()));
    this.bucketWait = Timer.builder(BUCKET_WAIT_METER).publishPercentileHistogram()
        .register(registry);
    this.bucketRejections = Counter.builder(BUCKET_REJECTIONS_METER).register(registry);
    this.breaker = createBreaker();
    registerGauges();
  }

  /**
   * Fetches one CFBD resource and checks that the body is JSON.
   *
   * @return the body bytes as CFBD sent them
   */
  public Future<Buffer> fetch(CfbdRequest request) {
    if (quota.exhausted()) {
      return Future.failedFuture(quotaFailure());
    }
    if (breaker.state() == CircuitBreakerState.OPEN) {
      return Future.failedFuture(openFailure(request));
    }
    return breaker.<Buffer>execute(() -> attempt(request, 1))
        .recover(failure -> {
          if (failure instanceof UpstreamFault) {
            return Future.failedFuture(((UpstreamFault) failure).failure);
          }
          if (failure instanceof OpenCircuitException) {
            return Future.failedFuture(openFailure(request));
          }
          return Future.failedFuture(failure);
        });
  }

  /** Returns the circuit breaker's state. */
  public CircuitBreakerState circuitState() {
    return breaker.state();
  }

  /** Returns the wall-clock time of the last successful upstream call, or -1 before any. */
  public long lastSuccessMillis() {
    return lastSuccessMillis.get();
  }

  /** Returns the wall-clock time of the last upstream failure after retries, or -1 before any. */
  public long lastFailureMillis() {
    return lastFailureMillis.get();
  }

  /**
   * Reads {@code GET /info}, which CFBD does not charge: calls left, monthly limit, reset time.
   * Updates the quota state as a side effect.
   */
  public Future<JsonObject> info() {
    return authorized(client.get(path("/info")))
        .send()
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture(new GatewayFailure(502, "Bad Gateway",
                "CFBD /info answered " + response.statusCode()));
          }
          JsonObject info = response.bodyAsJsonObject();
          if (info.containsKey("remainingCalls")) {
            quota.recordRemaining(info.getLong("remainingCalls"));
          }
          if (info.containsKey("monthlyLimit")) {
            quota.recordMonthlyLimit(info.getLong("monthlyLimit"));
          }
          return Future.succeededFuture(info);
        });
  }

  /** Returns the number of HTTP calls sent to CFBD so far, retries and {@code /info} excluded. */
  public long callCount() {
    return calls.get();
  }

  public QuotaState quota() {
    return quota;
  }

  public void close() {
    breaker.close();
    client.close();
  }

  private Future<Buffer> attempt(CfbdRequest request, int attempt) {
    long wait = bucket.reserve(maxQueueWait.toNanos());
    if (wait == TokenBucket.REJECTED) {
      bucketRejections.increment();
      return Future.failedFuture(new GatewayFailure(503, "Service Unavailable",
          "Too many CFBD calls queued: the wait for " + request.endpoint() + " would exceed "
              + maxQueueWait.toSeconds() + " s",
          Math.max(1, maxQueueWait.toSeconds())));
    }

    bucketWait.record(wait, TimeUnit.NANOSECONDS);

    Future<Buffer> outcome = delay(wait).compose(ignored -> send(request));
    return outcome.recover(failure -> {
      if (failure instanceof GatewayFailure || failure instanceof UpstreamFault) {
        return Future.failedFuture(failure);
      }
      if (!(failure instanceof RetryableFailure) || attempt >= options.retryAttempts()) {
        lastFailureMillis.set(clock.millis());
        return Future.failedFuture(new UpstreamFault(publicFailure(request, failure, attempt)));
      }
      long backoff = backoffMillis(attempt);
      LOG.warn("CFBD {} failed ({}), attempt {} of {}; will retry in {} ms", request.endpoint(),
          failure.getMessage(), attempt, options.retryAttempts(), backoff);
      return delay(backoff * 1_000_000L).compose(ignored -> attempt(request, attempt + 1));
    });
  }

  private Future<Buffer> send(CfbdRequest request) {
    if (quota.exhausted()) {
      return Future.failedFuture(quotaFailure());
    }
    calls.incrementAndGet();
    HttpRequest<Buffer> get = authorized(client.get(path(request.uri())))
        .timeout(options.timeout().toMillis());
    long started = System.nanoTime();
    return get.send()
        .onComplete(done -> recordCall(request, done.succeeded()
            ? Integer.toString(done.result().statusCode())
            : describe(done.cause()).startsWith("timeout") ? "timeout" : "error", started))
        .recover(error -> Future.failedFuture(new RetryableFailure(describe(error))))
        .compose(response -> handle(request, response))
        .onSuccess(body -> lastSuccessMillis.set(clock.millis()));
  }

  private Future<Buffer> handle(CfbdRequest request, HttpResponse<Buffer> response) {
    recordRemaining(response);
    int status = response.statusCode();
    if (status == 200) {
      Buffer body = response.body() == null ? Buffer.buffer("[]") : response.body();
      return checkJson(request, body);
    }
    if (status == 429) {
      return onQuotaExhausted();
    }
    if (status == 401) {
      reportRejectedKey(request);
      return Future.failedFuture(new GatewayFailure(502, "Bad Gateway",
          "CFBD rejected the API key for /" + request.endpoint()
              + ": check CFBD_API_KEY, and whether the endpoint needs a paid tier"));
    }
    if (RETRYABLE_STATUSES.contains(status)) {
      return Future.failedFuture(new RetryableFailure("HTTP " + status));
    }
    if (status == 400 || status == 404) {
      return Future.failedFuture(new GatewayFailure(status, status == 400 ? "Bad Request" : "Not Found",
          "CFBD rejected " + request + ": " + upstreamMessage(response)));
    }
    return Future.failedFuture(new GatewayFailure(502, "Bad Gateway",
        "CFBD answered " + status + " for /" + request.endpoint()));
  }

  /** Parses the body on a worker thread, because whole-season bodies are hundreds of kilobytes. */
  private Future<Buffer> checkJson(CfbdRequest request, Buffer body) {
    return vertx.executeBlocking(() -> {
      try {
        Json.decodeValue(body);
        return body;
      } catch (RuntimeException e) {
        throw new RetryableFailure("malformed JSON body (" + body.length() + " bytes)");
      }
    }, false);
  }

  private Future<Buffer> onQuotaExhausted() {
    return info()
        .map(info -> parseInstant(info.getString("resetAt")))
        .otherwise(error -> null)
        .compose(resetAt -> {
          Instant until = resetAt != null ? resetAt : clock.instant().plus(UNKNOWN_RESET_BLOCK);
          quota.markExhausted(until);
          LOG.error("CFBD monthly call quota exhausted; no upstream calls until {}", until);
          return Future.failedFuture(quotaFailure());
        });
  }

  private GatewayFailure quotaFailure() {
    long seconds = Math.max(1, quota.blockedFor().toSeconds());
    return new GatewayFailure(503, "Service Unavailable",
        "CFBD monthly call quota exhausted until " + quota.exhaustedUntil()
            + " and the request is not cached", seconds);
  }

  private GatewayFailure openFailure(CfbdRequest request) {
    long openNanos = options.circuitResetTimeout().toNanos() - (System.nanoTime() - openedAtNanos.get());
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(openNanos + 999_999_999L));
    return new GatewayFailure(503, "Service Unavailable",
        "CFBD is failing, so calls are paused (circuit open) and /" + request.endpoint()
            + " is not cached", seconds);
  }

  private void recordCall(CfbdRequest request, String status, long startedNanos) {
    registry.counter(REQUESTS_METER, "endpoint", request.endpoint(), "status", status).increment();
    Timer.builder(DURATION_METER).tag("endpoint", request.endpoint())
        .publishPercentileHistogram().register(registry)
        .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  private CircuitBreaker createBreaker() {
    CircuitBreakerOptions breakerOptions = new CircuitBreakerOptions()
        .setMaxFailures(options.circuitFailureThreshold())
        // The client has its own per-call timeout and retries, so the breaker must not add one.
        .setTimeout(-1)
        .setResetTimeout(options.circuitResetTimeout().toMillis())
        .setFallbackOnFailure(false)
        .setNotificationAddress(null);
    CircuitBreaker created = CircuitBreaker.create("cfbd", vertx, breakerOptions);
    created.<Buffer>failurePolicy(future -> future.failed() && future.cause() instanceof UpstreamFault);
    created.openHandler(ignored -> {
      openedAtNanos.set(System.nanoTime());
      countTransition("open");
      LOG.error("CFBD circuit opened after {} failed calls; no upstream calls for {} ms except "
          + "one probe afterwards", options.circuitFailureThreshold(),
          options.circuitResetTimeout().toMillis());
    });
    created.halfOpenHandler(ignored -> {
      countTransition("half_open");
      LOG.warn("CFBD circuit half-open: the next call probes CFBD");
    });
    created.closeHandler(ignored -> {
      countTransition("closed");
      LOG.info("CFBD circuit closed: CFBD answers again");
    });
    return created;
  }

  private void countTransition(String state) {
    registry.counter(CIRCUIT_TRANSITIONS_METER, "state", state).increment();
  }

  private void registerGauges() {
    Gauge.builder(CIRCUIT_STATE_METER, this, client -> stateNumber(client.breaker.state()))
        .register(registry);
    Gauge.builder(REMAINING_METER, quota, QuotaState::remainingCalls).register(registry);
    Gauge.builder(MONTHLY_LIMIT_METER, quota, QuotaState::monthlyLimit).register(registry);
  }

  private static double stateNumber(CircuitBreakerState state) {
    switch (state) {
      case OPEN:
        return 1;
      case HALF_OPEN:
        return 2;
      default:
        return 0;
    }
  }

  private GatewayFailure publicFailure(CfbdRequest request, Throwable failure, int attempts) {
    if (failure instanceof GatewayFailure) {
      return (GatewayFailure) failure;
    }
    String reason = failure.getMessage();
    if (reason != null && reason.startsWith("timeout")) {
      return new GatewayFailure(504, "Gateway Timeout",
          "CFBD did not answer /" + request.endpoint() + " within " + options.timeout().toMillis()
              + " ms after " + attempts + " attempts");
    }
    return new GatewayFailure(502, "Bad Gateway",
        "CFBD failed for /" + request.endpoint() + " after " + attempts + " attempts: " + reason);
  }

  private void reportRejectedKey(CfbdRequest request) {
    if (keyRejectionReported.compareAndSet(false, true)) {
      LOG.error("CFBD rejected the API key (401) for /{}; check CFBD_API_KEY and the key's tier",
          request.endpoint());
    } else {
      LOG.debug("CFBD rejected the API key again for /{}", request.endpoint());
    }
  }

  private void recordRemaining(HttpResponse<Buffer> response) {
    String remaining = response.getHeader(REMAINING_HEADER);
    if (remaining != null) {
      try {
        quota.recordRemaining(Long.parseLong(remaining.trim()));
      } catch (NumberFormatException e) {
        LOG.debug("Ignoring unparseable {} header", REMAINING_HEADER);
      }
    }
  }

  private long backoffMillis(int attempt) {
    double base = options.retryDelay().toMillis() * Math.pow(2, attempt - 1);
    double jitter = base * JITTER_FRACTION * ThreadLocalRandom.current().nextDouble();
    return Math.round(base + jitter);
  }

  private Future<Void> delay(long nanos) {
    if (nanos <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    // Round up: a timer that fires early would let calls through faster than the bucket allows.
    vertx.setTimer(Math.max(1, (nanos + 999_999L) / 1_000_000L), id -> promise.complete());
    return promise.future();
  }

  private HttpRequest<Buffer> authorized(HttpRequest<Buffer> request) {
    return request.bearerTokenAuthentication(options.apiKey()).putHeader("Accept", "application/json");
  }

  private String path(String uri) {
    String basePath = options.baseUrl().getPath();
    if (basePath == null || basePath.isEmpty() || "/".equals(basePath)) {
      return uri;
    }
    return (basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath) + uri;
  }

  private static String upstreamMessage(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body == null ? "no message" : body.getString("message", "no message");
    } catch (RuntimeException e) {
      return "no message";
    }
  }

  private static String describe(Throwable error) {
    if (error instanceof TimeoutException
        || (error.getMessage() != null && error.getMessage().contains("imeout"))) {
      return "timeout";
    }
    return "connection error: " + error.getClass().getSimpleName();
  }

  private static Instant parseInstant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static WebClientOptions clientOptions(URI baseUrl) {
    boolean tls = "https".equals(baseUrl.getScheme());
    int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : (tls ? 443 : 80);
    return new WebClientOptions()
        .setDefaultHost(baseUrl.getHost())
        .setDefaultPort(port)
        .setSsl(tls)
        .setUserAgent("script-ohio-gateway")
        .setKeepAlive(true);
  }

  /** Upstream failure after retries: counted by the circuit breaker, then unwrapped. */
  private static final class UpstreamFault extends RuntimeException {
    private final GatewayFailure failure;

    UpstreamFault(GatewayFailure failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  /** Transient upstream failure; retried, never shown to clients as is. */
  private static final class RetryableFailure extends RuntimeException {
    RetryableFailure(String message) {
      super(message, null, false, false);
    }
  }
}
