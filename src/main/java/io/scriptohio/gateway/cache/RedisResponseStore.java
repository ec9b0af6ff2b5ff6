package io.scriptohio.gateway.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared tier on Redis, so that replicas behind one Redis spend CFBD quota once between them.
 *
 * <p>A value is one line of JSON metadata, a newline, then the body bytes unchanged. Redis keeps
 * a key for its freshness plus {@link LocalResponseStore#STALE_RETENTION}. When Redis is slow or
 * down, {@code get} returns null and {@code put} drops the write: the gateway keeps serving from
 * the local tier and upstream, and the failures are counted and logged at most once a minute.
 */
public final class RedisResponseStore implements ResponseStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisResponseStore.class);

  /** Prefix of every key this gateway writes, so a shared Redis can hold other data too. */
  public static final String KEY_PREFIX = "script-ohio:cfbd:";
  /** Pooled connections to Redis; a cache lookup is one short command. */
  public static final int POOL_SIZE = 8;
  /** Redis calls allowed in flight; above it a lookup is skipped rather than queued. */
  public static final int MAX_IN_FLIGHT = 256;
  /** Time a Redis command may take before the lookup counts as failed. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
  private static final long LOG_INTERVAL_MILLIS = 60_000;

  private final Vertx vertx;
  private final Redis redis;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile long lastWarningMillis;

  public RedisResponseStore(Vertx vertx, String connectionString) {
    this.vertx = vertx;
    this.redis = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(connectionString)
        .setMaxPoolSize(POOL_SIZE)
        .setMaxPoolWaiting(MAX_IN_FLIGHT)
        .setMaxWaitingHandlers(MAX_IN_FLIGHT));
  }

  @Override
  public Future<CachedResponse> get(String key) {
    if (!admit()) {
      return Future.succeededFuture(null);
    }
    return send(Request.cmd(Command.GET).arg(KEY_PREFIX + key))
        .map(RedisResponseStore::decode)
        .otherwise(error -> {
          recordFailure("GET", error);
          return null;
        });
  }

  @Override
  public Future<Void> put(String key, CachedResponse response) {
    if (!admit()) {
      return Future.succeededFuture();
    }
    long ttlMillis = Math.max(1, response.freshUntilMillis() - System.currentTimeMillis())
        + LocalResponseStore.STALE_RETENTION.toMillis();
    Request set = Request.cmd(Command.SET)
        .arg(KEY_PREFIX + key)
        .arg(encode(response))
        .arg("PX")
        .arg(ttlMillis);
    return send(set)
        .<Void>mapEmpty()
        .otherwise(error -> {
          recordFailure("SET", error);
          return null;
        });
  }

  /** Sends {@code PING}; fails when Redis does not reply within the command timeout. */
  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  /** Returns the number of Redis commands that failed or timed out. */
  public long failureCount() {
    return failures.get();
  }

  /** Returns the number of lookups skipped because too many were in flight. */
  public long skippedCount() {
    return skipped.get();
  }

  @Override
  public Future<Void> close() {
    redis.close();
    return Future.succeededFuture();
  }

  private boolean admit() {
    if (inFlight.get() >= MAX_IN_FLIGHT) {
      skipped.incrementAndGet();
      return false;
    }
    return true;
  }

  private Future<Response> send(Request request) {
    inFlight.incrementAndGet();
    return redis.send(request)
        .timeout(COMMAND_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .andThen(done -> inFlight.decrementAndGet());
  }

  private void recordFailure(String command, Throwable error) {
    long count = failures.incrementAndGet();
    long now = System.currentTimeMillis();
    if (now - lastWarningMillis >= LOG_INTERVAL_MILLIS) {
      lastWarningMillis = now;
      LOG.warn("Redis {} failed ({}; {} failures so far); serving from the local tier", command,
          error.getClass().getSimpleName(), count);
    }
  }

  static Buffer encode(CachedResponse response) {
    JsonObject meta = new JsonObject()
        .put("etag", response.etag())
        .put("storedAt", response.storedAtMillis())
        .put("freshUntil", response.freshUntilMillis())
        .put("snapshot", response.fromSnapshot());
    return Buffer.buffer(meta.encode()).appendByte((byte) '\n').appendBuffer(response.body());
  }

  static CachedResponse decode(Response value) {
    if (value == null) {
      return null;
    }
    Buffer raw = value.toBuffer();
    int newline = -1;
    for (int i = 0; i < raw.length(); i++) {
      if (raw.getByte(i) == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      return null;
    }
    JsonObject meta = new JsonObject(raw.getString(0, newline));
    Buffer body = raw.getBuffer(newline + 1, raw.length());
    return new CachedResponse(body, meta.getString("etag"), meta.getLong("storedAt"),
        meta.getLong("freshUntil"), meta.getBoolean("snapshot", false));
  }
}
