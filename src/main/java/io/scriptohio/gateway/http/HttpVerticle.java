package io.scriptohio.gateway.http;

import io.scriptohio.gateway.GatewayFailure;
import io.scriptohio.gateway.cache.CacheReply;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.scriptohio.gateway.predictions.RecentWeeks;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
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
  private final RecentWeeks recentWeeks;
  private final Function<CfbdRequest, CacheReply> freshLocalHit;
  private final Clock clock;
  private final Consumer<Router> extraRoutes;
  private final Duration shutdownTimeout;
  private HttpServer server;

  /**
   * @param offline whether the gateway serves stored responses only; every response then carries
   *     {@code X-Data-Source: snapshot}
   * @param extraRoutes adds the routes of other capabilities (metrics) to the router
   */
  public HttpVerticle(HttpOptions options, boolean offline, Clock clock,
      Consumer<Router> extraRoutes) {
    this(options, offline, clock, extraRoutes, Duration.ZERO, null, null);
  }

  /**
   * @param shutdownTimeout how long undeploying waits for in-flight requests after the server
   *     stops accepting connections
   */
  public HttpVerticle(HttpOptions options, boolean offline, Clock clock,
      Consumer<Router> extraRoutes, Duration shutdownTimeout, RecentWeeks recentWeeks,
      Function<CfbdRequest, CacheReply> freshLocalHit) {
    this.recentWeeks = recentWeeks;
    this.freshLocalHit = freshLocalHit;
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
        options.requestTimeout(), clock, freshLocalHit);
    router.route(CfbdProxyHandler.PREFIX + "*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(proxy);
    new PredictionRoutes(vertx.eventBus(), options.requestTimeout(), clock, recentWeeks)
        .mount(router);
    extraRoutes.accept(router);

    router.route().failureHandler(this::handleFailure);
    for (int status : new int[] {400, 404, 405, 413}) {
      router.errorHandler(status, context -> sendStatusProblem(context, status, null));
    }
    return router;
  }

  private void handleFailure(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure == null || failure instanceof HttpException) {
      int status = failure == null ? context.statusCode() : ((HttpException) failure).getStatusCode();
      Throwable cause = failure == null ? null : failure.getCause();
      sendStatusProblem(context, status < 400 ? 500 : status, cause);
      return;
    }
    GatewayFailure problem = GatewayFailure.from(failure);
    if (problem.status() >= 500) {
      // Failures of other verticles arrive as reply failures that carry their own message. Only
      // an exception raised here is unexpected enough to log with its stack trace.
      boolean expected = failure instanceof GatewayFailure || failure instanceof ReplyException;
      LOG.error("{} {} failed with {}: {}", context.request().method(), context.request().path(),
          problem.status(), problem.detail(), expected ? null : failure);
    }
    Problems.send(context, problem, List.of());
  }

  /** Sends the problem body for a status that vert.x-web raised (routing, body limit, decoding, timeout). */
  private void sendStatusProblem(RoutingContext context, int status, Throwable cause) {
    String method = context.request().method().name();
    String path = context.request().path();
    GatewayFailure problem;
    switch (status) {
      case 400:
        // Decoding a malformed percent-escape in the path or query fails this way.
        problem = new GatewayFailure(400, "Bad Request", "The request path or query cannot be decoded"
            + (cause == null ? "" : ": " + cause.getMessage()));
        break;
      case 404:
        problem = new GatewayFailure(404, "Not Found", "No route for " + method + " " + path);
        break;
      case 405:
        String allowed = PredictionRoutes.MATCHUP_PATH.equals(path) ? "POST" : "GET, HEAD";
        context.response().putHeader("Allow", allowed);
        problem = new GatewayFailure(405, "Method Not Allowed", method + " is not allowed on " + path
            + "; allowed: " + allowed);
        break;
      case 413:
        problem = new GatewayFailure(413, "Content Too Large", "The request body exceeds "
            + PredictionRoutes.MAX_BODY_BYTES + " bytes");
        break;
      case 503:
        problem = new GatewayFailure(503, "Service Unavailable", "The request did not finish within "
            + options.requestTimeout().toSeconds() + " s");
        break;
      default:
        problem = new GatewayFailure(status, "Error", "Request failed with status " + status);
    }
    Problems.send(context, problem, List.of());
  }
}
