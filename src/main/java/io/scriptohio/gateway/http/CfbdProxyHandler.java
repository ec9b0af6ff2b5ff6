package io.scriptohio.gateway.http;

import io.scriptohio.gateway.GatewayFailure;
import io.scriptohio.gateway.cache.CacheReply;
import io.scriptohio.gateway.cache.CacheStatus;
import io.scriptohio.gateway.cache.CacheVerticle;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code GET /api/v1/cfbd/{endpoint}?{query}}: the caching CFBD proxy. Validates the endpoint and
 * query, requests the body from {@link CacheVerticle} and writes it unchanged with caching headers:
 * {@code ETag} (answering {@code If-None-Match} with 304), {@code Cache-Control}, {@code Age},
 * {@code X-Cache} and {@code X-Data-Source}.
 */
final class CfbdProxyHandler implements Handler<RoutingContext> {

  static final String PREFIX = "/api/v1/cfbd/";

  private final EventBus eventBus;
  private final CfbdParameters parameters;
  private final DeliveryOptions delivery;
  private final Clock clock;
  private final Function<CfbdRequest, CacheReply> freshLocalHit;

  /**
   * @param freshLocalHit returns a fresh in-process cache entry without an event-bus round trip,
   *     or null when the cache verticle must decide; may itself be null
   */
  CfbdProxyHandler(EventBus eventBus, CfbdParameters parameters, Duration timeout, Clock clock,
      Function<CfbdRequest, CacheReply> freshLocalHit) {
    this.freshLocalHit = freshLocalHit;
    this.eventBus = eventBus;
    this.parameters = parameters;
    // One second past the request timeout, so that the timeout handler always responds first and
    // clients see one status (503) for a slow request.
    this.delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis() + 1000);
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext context) {
    String path = context.normalizedPath();
    String endpoint = path.length() > PREFIX.length() ? path.substring(PREFIX.length()) : "";
    while (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    if (!CfbdParameters.ENDPOINTS.containsKey(endpoint)) {
      Problems.send(context, new GatewayFailure(404, "Not Found", "Unknown CFBD endpoint '"
          + endpoint + "'; proxied endpoints: "
          + String.join(", ", CfbdParameters.ENDPOINTS.keySet().stream().sorted().toList())), List.of());
      return;
    }

    List<InvalidParameter> invalid = new ArrayList<>();
    Map<String, String> params = singleValued(context.queryParams(), invalid);
    invalid.addAll(parameters.validate(endpoint, params));
    if (!invalid.isEmpty()) {
      Problems.badRequest(context, invalid);
      return;
    }

    CfbdRequest request = new CfbdRequest(endpoint, params);
    CacheReply hit = freshLocalHit == null ? null : freshLocalHit.apply(request);
    if (hit != null) {
      write(context, hit);
      return;
    }
    eventBus.<CacheReply>request(CacheVerticle.ADDRESS, request, delivery)
        .map(Message::body)
        .onSuccess(reply -> write(context, reply))
        .onFailure(context::fail);
  }

  private void write(RoutingContext context, CacheReply reply) {
    CachedResponses.write(context, reply, cacheControl(reply, clock.millis()), clock);
  }

  private static String cacheControl(CacheReply reply, long now) {
    if (reply.status() == CacheStatus.STALE || reply.status() == CacheStatus.SNAPSHOT) {
      return "public, max-age=0, must-revalidate";
    }
    return "public, max-age=" + reply.response().maxAgeSeconds(now);
  }

  private static Map<String, String> singleValued(MultiMap query, List<InvalidParameter> invalid) {
    Map<String, String> params = new TreeMap<>();
    for (String name : query.names()) {
      List<String> values = query.getAll(name);
      if (values.size() > 1) {
        invalid.add(new InvalidParameter(name, String.join(",", values), "give it once"));
      }
      params.put(name, values.get(0));
    }
    return params;
  }
}
