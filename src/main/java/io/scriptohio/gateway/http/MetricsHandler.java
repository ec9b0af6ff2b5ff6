package io.scriptohio.gateway.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scriptohio.gateway.GatewayFailure;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Serves {@code GET /metrics} in the Prometheus text format to clients inside the allowed address
 * ranges; others get a 403 problem. The scrape is rendered on a worker thread.
 */
public final class MetricsHandler implements Handler<RoutingContext> {

  /** Path of the scrape endpoint on the API port. */
  public static final String PATH = "/metrics";
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final HttpOptions options;

  public MetricsHandler(PrometheusMeterRegistry registry, HttpOptions options) {
    this.registry = registry;
    this.options = options;
  }

  @Override
  public void handle(RoutingContext context) {
    SocketAddress remote = context.request().remoteAddress();
    String address = remote == null ? null : remote.hostAddress();
    if (address == null || !options.metricsAllowed(address)) {
      Problems.send(context, new GatewayFailure(403, "Forbidden",
          "Metrics are only served to the ranges in METRICS_ALLOWED_CIDRS, not to " + address),
          List.of());
      return;
    }

    context.vertx().executeBlocking(registry::scrape, false).onComplete(done -> {
      if (done.failed()) {
        context.fail(done.cause());
        return;
      }
      context.response()
          .putHeader("Content-Type", CONTENT_TYPE)
          .putHeader("Cache-Control", "no-store")
          .end(done.result());
    });
  }
}
