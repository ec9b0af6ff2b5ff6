package io.scriptohio.gateway.cfbd;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP server on 127.0.0.1 that behaves like the CFBD API v2 for the endpoints a
 * {@link SnapshotStore} covers, for integration and load tests.
 *
 * <p>Like CFBD it requires {@code Authorization: Bearer <key>}, sends
 * {@code X-CallLimit-Remaining} on every authenticated response, charges one call of the key's
 * monthly quota per 2xx response except {@code GET /info}, responds 429 once the quota is used up,
 * 401 on the Patreon-only endpoints, 404 on endpoints without stored files and
 * {@code 200 []} on queries that no stored record matches.
 *
 * <p>Tests can add a latency to every response and make requests fail: {@link #enqueue} queues
 * faults that the next data requests consume one each, in order, and {@link #failAll} fails every
 * request, {@code /info} included, until {@link #recover()}. Configure before or after
 * {@link #start()}; setters and counters are thread-safe.
 *
 * <p>Counters include every request except {@code /info}, whatever its outcome. With
 * {@link #exposeCounters(boolean)} on, {@code GET /_standin/counters} returns them as JSON
 * ({@code totalCalls} and {@code callsByKey}) without a key and without being counted, so
 * scripts that run the stand-in as a process can read them.
 */
public final class CfbdStandIn {

  static final String MISSING_KEY_MESSAGE = "Unauthorized. Did you forget to add \"Bearer \" before your key?"
      + " Go to CollegeFootballData.com to register for your free API key. See the CFBD Blog for examples"
      + " on usage: https://blog.collegefootballdata.com/using-api-keys-with-the-cfbd-api.";
  static final String UNKNOWN_KEY_MESSAGE = "Unauthorized";
  static final String QUOTA_EXCEEDED_MESSAGE = "Monthly call quota exceeded.";
  static final String NOT_FOUND_MESSAGE = "Not Found";

  /** Header in which CFBD reports the calls left this month. */
  public static final String CALL_LIMIT_HEADER = "X-CallLimit-Remaining";

  /** Monthly quota of each key unless {@link #quota(long)} sets another. */
  public static final long DEFAULT_QUOTA = 1000;

  /** Path of the counters endpoint that {@link #exposeCounters(boolean)} turns on. */
  public static final String COUNTERS_PATH = "/_standin/counters";

  /** Time, in seconds, that the command-line run waits for the server to close on shutdown. */
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(CfbdStandIn.class);

  // CFBD tests the header with this unanchored pattern, so any text before "Bearer " passes.
  private static final Pattern BEARER = Pattern.compile("Bearer (.+)");

  /** Patreon-only path prefixes and the tier they need, from the CFBD API v2 server. */
  private static final Map<String, Integer> PATREON_TIERS = Map.of(
      "wepa/", 1,
      "games/weather", 1,
      "scoreboard", 1,
      "live/plays", 2);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final SnapshotStore store;

  private volatile Set<String> keys = Set.of("test-key");
  private volatile long monthlyLimit = DEFAULT_QUOTA;
  private volatile Instant resetAt = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1)
      .atStartOfDay(ZoneOffset.UTC).toInstant();
  private volatile long latencyMillis;
  private volatile Fault stickyFault;
  private volatile boolean countersExposed;
  private final Map<String, AtomicLong> remainingByKey = new ConcurrentHashMap<>();
  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();

  private final AtomicLong totalCalls = new AtomicLong();
  private final Map<String, AtomicLong> callsByKey = new ConcurrentHashMap<>();
  private final List<Long> arrivals = new ArrayList<>();

  private HttpServer server;

  /** Creates a stand-in on its own Vertx instance, closed by {@link #close()}. */
  public CfbdStandIn(SnapshotStore store) {
    this(Vertx.vertx(), true, store);
  }

  /** Creates a stand-in on the caller's Vertx instance, which {@link #close()} leaves open. */
  public CfbdStandIn(Vertx vertx, SnapshotStore store) {
    this(vertx, false, store);
  }

  private CfbdStandIn(Vertx vertx, boolean ownsVertx, SnapshotStore store) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.store = store;
  }

  /** Sets the API keys that authenticate; any other key gets 401. */
  public CfbdStandIn keys(String... validKeys) {
    this.keys = Set.of(validKeys);
    return this;
  }

  /** Sets the monthly quota of every key and restores each key's remaining calls to it. */
  public CfbdStandIn quota(long calls) {
    this.monthlyLimit = calls;
    remainingByKey.clear();
    return this;
  }

  /** Sets the instant that {@code /info} reports as the quota reset. */
  public CfbdStandIn resetAt(Instant instant) {
    this.resetAt = instant;
    return this;
  }

  /** Sets the delay, in milliseconds, before every response. The server thread is not blocked. */
  public CfbdStandIn latencyMillis(long millis) {
    this.latencyMillis = millis;
    return this;
  }

  /** Turns the {@link #COUNTERS_PATH} endpoint on or off; it is off by default. */
  public CfbdStandIn exposeCounters(boolean exposed) {
    this.countersExposed = exposed;
    return this;
  }

  /** Queues faults that the next data requests consume, one per request, in order. */
  public CfbdStandIn enqueue(Fault... next) {
    faults.addAll(List.of(next));
    return this;
  }

  /** Fails every request, {@code /info} included, with the fault until {@link #recover()}. */
  public CfbdStandIn failAll(Fault fault) {
    this.stickyFault = fault;
    return this;
  }

  /** Ends {@link #failAll(Fault)} and drops queued faults. */
  public CfbdStandIn recover() {
    this.stickyFault = null;
    faults.clear();
    return this;
  }

  /**
   * Starts listening on 127.0.0.1.
   *
   * @param port the port, or 0 for a free one
   * @return the port the server listens on
   */
  public Future<Integer> start(int port) {
    return vertx.createHttpServer()
        .requestHandler(this::handle)
        .listen(port, "127.0.0.1")
        .map(listening -> {
          server = listening;
          LOG.info("CFBD stand-in listening on 127.0.0.1:{} with data from {}", listening.actualPort(), store.root());
          return listening.actualPort();
        });
  }

  /** Starts listening on a free port of 127.0.0.1 and returns it. */
  public Future<Integer> start() {
    return start(0);
  }

  /** Returns the port the server listens on; valid after {@link #start()} completes. */
  public int port() {
    return server.actualPort();
  }

  /** Stops the server, dropping open connections, and closes the Vertx instance if it owns it. */
  public Future<Void> close() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return ownsVertx ? closed.eventually(vertx::close) : closed;
  }

  /** Returns the number of requests received, {@code /info} excepted. */
  public long totalCalls() {
    return totalCalls.get();
  }

  /** Returns the number of requests received for one {@link CfbdRequest#cacheKey()}. */
  public long calls(String cacheKey) {
    AtomicLong calls = callsByKey.get(cacheKey);
    return calls == null ? 0 : calls.get();
  }

  /** Returns a copy of the request counts per {@link CfbdRequest#cacheKey()}. */
  public Map<String, Long> callsByKey() {
    Map<String, Long> copy = new HashMap<>();
    callsByKey.forEach((key, calls) -> copy.put(key, calls.get()));
    return copy;
  }

  /** Returns the {@link System#nanoTime()} at which each request arrived, in arrival order. */
  public List<Long> arrivalNanos() {
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  /** Sets the call counters and arrival times back to zero; quota and faults are kept. */
  public void resetCounters() {
    synchronized (arrivals) {
      totalCalls.set(0);
      callsByKey.clear();
      arrivals.clear();
    }
  }

  private void handle(HttpServerRequest request) {
    if (countersExposed && request.path().equals(COUNTERS_PATH)) {
      sendCounters(request);
      return;
    }

    CfbdRequest cfbd = CfbdRequest.parse(request.path(), request.query());
    boolean info = cfbd.endpoint().equals("info");
    if (!info) {
      record(cfbd);
    }

    Fault fault = stickyFault;
    if (fault == null && !info) {
      fault = faults.poll();
    }
    if (fault != null) {
      Fault chosen = fault;
      LOG.debug("Failing {} with {}", cfbd, chosen);
      respondAfterLatency(() -> fail(request, cfbd, chosen));
      return;
    }

    String key = authenticate(request);
    if (key == null) {
      return;
    }
    AtomicLong remaining = remainingByKey.computeIfAbsent(key, unused -> new AtomicLong(monthlyLimit));
    if (info) {
      JsonObject body = new JsonObject()
          .put("patronLevel", 0)
          .put("remainingCalls", remaining.get())
          .put("monthlyLimit", monthlyLimit)
          .put("resetAt", resetAt.toString());
      respondAfterLatency(() -> sendJson(request, 200, remaining.get(), body.toBuffer()));
      return;
    }
    if (remaining.get() <= 0) {
      respondAfterLatency(() -> sendMessage(request, 429, 0L, QUOTA_EXCEEDED_MESSAGE));
      return;
    }

    vertx.executeBlocking(() -> store.body(cfbd), false).onComplete(result -> {
      if (result.failed()) {
        LOG.error("Failed to read stored response for {}", cfbd, result.cause());
        respondAfterLatency(() -> sendMessage(request, 500, remaining.get(), "Internal Server Error"));
        return;
      }
      Optional<Buffer> body = result.result();
      if (body.isEmpty()) {
        respondAfterLatency(() -> sendMessage(request, 404, remaining.get(), NOT_FOUND_MESSAGE));
        return;
      }
      long left = remaining.updateAndGet(calls -> Math.max(calls - 1, 0));
      respondAfterLatency(() -> sendJson(request, 200, left, body.get()));
    });
  }

  /** Checks the Authorization header and the Patreon tier; returns the key, or null after a 401. */
  private String authenticate(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    Matcher bearer = header == null ? null : BEARER.matcher(header);
    if (bearer == null || !bearer.find()) {
      respondAfterLatency(() -> sendMessage(request, 401, null, MISSING_KEY_MESSAGE));
      return null;
    }
    String key = bearer.group(1);
    if (!keys.contains(key)) {
      respondAfterLatency(() -> sendMessage(request, 401, null, UNKNOWN_KEY_MESSAGE));
      return null;
    }

    String path = request.path().substring(1);
    for (Map.Entry<String, Integer> tier : PATREON_TIERS.entrySet()) {
      if (path.startsWith(tier.getKey())) {
        String message = "Unauthorized. This endpoint requires a Patreon subscription at Tier "
            + tier.getValue() + " or higher.";
        respondAfterLatency(() -> sendMessage(request, 401, null, message));
        return null;
      }
    }
    return key;
  }

  private void fail(HttpServerRequest request, CfbdRequest cfbd, Fault fault) {
    switch (fault.kind()) {
      case STATUS -> sendMessage(request, fault.statusCode(), null, fault.message());
      case RESET -> request.connection().close();
      case TIMEOUT -> {
        // No response: the connection stays open until the client gives up or the server closes.
      }
      case MALFORMED_JSON -> sendJson(request, 200, null, Buffer.buffer("<html>upstream error</html>"));
      case TRUNCATED_JSON -> vertx.executeBlocking(() -> store.body(cfbd), false).onComplete(result -> {
        Buffer body = result.succeeded() ? result.result().orElse(Buffer.buffer("[]")) : Buffer.buffer("[]");
        sendJson(request, 200, null, body.slice(0, Math.max(1, body.length() / 2)).copy());
      });
    }
  }

  private void sendCounters(HttpServerRequest request) {
    JsonObject byKey = new JsonObject();
    callsByKey().forEach(byKey::put);
    JsonObject body = new JsonObject().put("totalCalls", totalCalls()).put("callsByKey", byKey);
    sendJson(request, 200, null, body.toBuffer());
  }

  private void record(CfbdRequest cfbd) {
    synchronized (arrivals) {
      arrivals.add(System.nanoTime());
      totalCalls.incrementAndGet();
      callsByKey.computeIfAbsent(cfbd.cacheKey(), unused -> new AtomicLong()).incrementAndGet();
    }
  }

  private void respondAfterLatency(Runnable respond) {
    long delay = latencyMillis;
    if (delay <= 0) {
      respond.run();
    } else {
      vertx.setTimer(delay, timer -> respond.run());
    }
  }

  private static void sendMessage(HttpServerRequest request, int status, Long remaining, String message) {
    sendJson(request, status, remaining, new JsonObject().put("message", message).toBuffer());
  }

  private static void sendJson(HttpServerRequest request, int status, Long remaining, Buffer body) {
    if (request.response().closed()) {
      return;
    }
    request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8");
    if (remaining != null) {
      request.response().putHeader(CALL_LIMIT_HEADER, Long.toString(remaining));
    }
    request.response().end(body);
  }

  /**
   * Runs a stand-in from the command line until the process is stopped.
   *
   * <p>Options: {@code --data DIR} (required, the stored responses), {@code --port N} (default 0,
   * a free port), {@code --latency-ms N} (delay before each response, default 0),
   * {@code --key KEY} (valid API key, repeatable, default {@code test-key}), {@code --quota N}
   * (monthly calls per key, default 1000) and {@code --expose-counters true} (serve
   * {@link #COUNTERS_PATH}, default false).
   */
  public static void main(String[] args) {
    Map<String, List<String>> options = parseArgs(args);
    if (!options.containsKey("data")) {
      System.err.println("Missing --data DIR: the folder of stored CFBD responses."
          + " Usage: --data DIR [--port N] [--latency-ms N] [--key KEY]... [--quota N]"
          + " [--expose-counters true]");
      System.exit(2);
    }

    SnapshotStore store = SnapshotStore.open(Paths.get(last(options, "data", null)));
    CfbdStandIn standIn = new CfbdStandIn(store)
        .latencyMillis(Long.parseLong(last(options, "latency-ms", "0")))
        .quota(Long.parseLong(last(options, "quota", Long.toString(DEFAULT_QUOTA))))
        .exposeCounters(Boolean.parseBoolean(last(options, "expose-counters", "false")));
    if (options.containsKey("key")) {
      standIn.keys(options.get("key").toArray(String[]::new));
    }

    int port = standIn.start(Integer.parseInt(last(options, "port", "0"))).await();
    LOG.info("CFBD stand-in ready on port {}; stop it with Ctrl+C", port);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(standIn)));
  }

  private static void closeQuietly(CfbdStandIn standIn) {
    // Bounded, because Vert.x close can hang once the JVM shutdown has begun.
    try {
      standIn.close().toCompletionStage().toCompletableFuture().get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Timed out after {} s closing the CFBD stand-in; exiting anyway", SHUTDOWN_TIMEOUT_SECONDS);
    } catch (ExecutionException e) {
      LOG.warn("Failed to close the CFBD stand-in; exiting anyway", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, List<String>> parseArgs(String[] args) {
    Map<String, List<String>> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("Invalid argument " + args[i] + ": expected --name value pairs");
      }
      options.computeIfAbsent(args[i].substring(2), unused -> new ArrayList<>()).add(args[i + 1]);
      i++;
    }
    return options;
  }

  private static String last(Map<String, List<String>> options, String name, String fallback) {
    List<String> values = options.get(name);
    return values == null ? fallback : values.get(values.size() - 1);
  }
}
