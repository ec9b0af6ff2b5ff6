package io.scriptohio.gateway.http;

import io.scriptohio.gateway.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public API server: routes, validation and RFC 9457 errors. Stateless, so the gateway
 * deploys one instance per event loop; all of them share the port.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final HttpOptions options;
  private final boolean offline;
  private final Clock clock;
  private final Consumer<Router> extraRoutes;
  private final Duration shutdownTimeout;
  private HttpServer server;

  /**
   * @param offline whether the gateway serves stored responses only; every response then says
   *     {@code X-Data-Source: snapshot}
   * @param extraRoutes adds the routes of other capabilities (metrics) to the router
   */
  public HttpVerticle(HttpOptions options, boolean offline, Clock clock,
      Consumer<Router> extraRoutes) {
    this(options, offline, clock, extraRoutes, Duration.ZERO);
  }

  /**
   * @param shutdownTimeout how long undeploying waits for in-flight requests after the server
   *     stops accepting connections
   */
  public HttpVerticle(HttpOptions options, boolean offline, Clock clock,
      Consumer<Router> extraRoutes, Duration shutdownTimeout) {
    this.options = options;
    this.offline = offline;
    this.clock = clock;
    this.extraRoutes = extraRoutes;
    this.shutdownTimeout = shutdownTimeout;
  }

  @Override
  public Future<?> start() {
    Router router = createRouter();

    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(options.host())
            .setPort(options.port())
            .setTcpNoDelay(true)
            .setCompressionSupported(false))
        .requestHandler(router)
        .listen()
        .onSuccess(listening -> {
          server = listening;
          LOG.debug("API server instance listening on {}:{}", options.host(), listening.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    // shutdown stops accepting at once, then lets in-flight requests finish within the timeout.
    return server.shutdown(shutdownTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Returns the port the server listens on; useful when configured as 0. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private Router createRouter() {
    Router router = Router.router(vertx);
    router.route().handler(TimeoutHandler.create(options.requestTimeout().toMillis(), 503));
    if (offline) {
      router.route().handler(context -> {
        context.response().putHeader(CachedResponses.DATA_SOURCE, "snapshot");
        context.next();
      });
    }

    CfbdProxyHandler proxy = new CfbdProxyHandler(vertx.eventBus(), new CfbdParameters(clock),
        options.requestTimeout(), clock);
    router.get(CfbdProxyHandler.PREFIX + "*").handler(proxy);
    new PredictionRoutes(vertx.eventBus(), options.requestTimeout(), clock).mount(router);
    extraRoutes.accept(router);

    router.route().failureHandler(this::handleFailure);
    router.errorHandler(404, context -> Problems.send(context, new GatewayFailure(404, "Not Found",
        "No route for " + context.request().method() + " " + context.request().path()), List.of()));
    router.errorHandler(405, context -> Problems.send(context, new GatewayFailure(405,
        "Method Not Allowed", context.request().method() + " is not allowed on "
            + context.request().path()), List.of()));
    return router;
  }

  private void handleFailure(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure == null) {
      int status = context.statusCode() < 400 ? 500 : context.statusCode();
      String title = status == 503 ? "Service Unavailable" : "Error";
      String detail = status == 503 ? "The request did not finish within "
          + options.requestTimeout().toSeconds() + " s" : "Request failed with status " + status;
      Problems.send(context, new GatewayFailure(status, title, detail), List.of());
      return;
    }
    GatewayFailure problem = GatewayFailure.from(failure);
    if (problem.status() >= 500) {
      LOG.error("{} {} failed with {}: {}", context.request().method(), context.request().path(),
          problem.status(), problem.detail(), failure instanceof GatewayFailure ? null : failure);
    }
    Problems.send(context, problem, List.of());
  }
}
