package io.scriptohio.gateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends N identical {@code GET} requests at once, each on its own connection, and prints when
 * the first and the last response arrived.
 *
 * <p>Usage: {@code ConcurrentGetDriver URL N}. A warm-up burst of N requests to the gateway's
 * {@code /api/v1/models}, which needs no upstream call, opens the connections first, so most
 * timed requests find an open connection and the times measure the server rather than TCP
 * handshakes. The output is one JSON
 * object on standard output: {@code requests}, {@code statusCounts}, {@code firstMillis},
 * {@code lastMillis} (from the moment the first request was written) and {@code failures}
 * (requests without a response). The exit code is 0 when every request got a 200, 1 otherwise.
 */
public final class ConcurrentGetDriver {

  /** Seconds a request may take before it counts as a failure. */
  private static final long REQUEST_TIMEOUT_SECONDS = 60;

  private ConcurrentGetDriver() {
  }

  /**
   * Runs the burst and prints its result.
   *
   * @param args the URL and the number of requests
   */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("Usage: ConcurrentGetDriver URL N");
      System.exit(2);
    }
    URI url = URI.create(args[0]);
    int count = Integer.parseInt(args[1]);

    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions()
            .setDefaultHost(url.getHost())
            .setDefaultPort(url.getPort())
            .setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(count).setMaxWaitQueueSize(-1));
    String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());

    JsonObject result = openConnections(client, count)
        .compose(ignored -> burst(client, target, count))
        .await();
    System.out.println(result.encode());
    vertx.close().await();
    System.exit(result.getInteger("failures") == 0
        && result.getJsonObject("statusCounts").getInteger("200", 0) == count ? 0 : 1);
  }

  /** Opens up to N pooled connections with requests to a route that needs no upstream call. */
  private static Future<Void> openConnections(HttpClientAgent client, int count) {
    String warmPath = "/api/v1/models";
    List<Future<?>> opened = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      opened.add(client.request(HttpMethod.GET, warmPath)
          .compose(request -> request.send())
          .compose(response -> response.body()));
    }
    return Future.all(opened).mapEmpty();
  }

  private static Future<JsonObject> burst(HttpClientAgent client, String target, int count) {
    long start = System.nanoTime();
    AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    AtomicLong last = new AtomicLong();
    Map<String, Object> statusCounts = new TreeMap<>();
    AtomicLong failures = new AtomicLong();

    List<Future<?>> done = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Future<?> answered = client.request(HttpMethod.GET, target)
          .compose(request -> request.idleTimeout(REQUEST_TIMEOUT_SECONDS * 1000).send())
          .compose(response -> response.body().map(body -> response.statusCode()))
          .onSuccess(status -> {
            long elapsed = System.nanoTime() - start;
            first.accumulateAndGet(elapsed, Math::min);
            last.accumulateAndGet(elapsed, Math::max);
            synchronized (statusCounts) {
              statusCounts.merge(Integer.toString(status), 1, (a, b) -> (Integer) a + (Integer) b);
            }
          })
          .onFailure(failure -> failures.incrementAndGet());
      done.add(answered.otherwiseEmpty());
    }

    return Future.join(done).otherwiseEmpty().map(ignored -> new JsonObject()
        .put("requests", count)
        .put("statusCounts", new JsonObject(statusCounts))
        .put("firstMillis", first.get() == Long.MAX_VALUE ? null : first.get() / 1e6)
        .put("lastMillis", last.get() / 1e6)
        .put("failures", failures.get()));
  }
}
