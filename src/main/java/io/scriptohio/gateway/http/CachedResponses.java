package io.scriptohio.gateway.http;

import io.scriptohio.gateway.cache.CacheReply;
import io.scriptohio.gateway.cache.CachedResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * Writes a cached body as it is stored, with its validators: {@code ETag} (a matching
 * {@code If-None-Match} gets 304 and no body), {@code Cache-Control}, {@code Age}, {@code X-Cache}
 * and {@code X-Data-Source}.
 */
final class CachedResponses {

  static final String DATA_SOURCE = "X-Data-Source";

  private CachedResponses() {
  }

  static void write(RoutingContext context, CacheReply reply, String cacheControl, Clock clock) {
    CachedResponse entry = reply.response();
    long now = clock.millis();
    HttpServerResponse response = context.response();
    response.putHeader("ETag", entry.etag())
        .putHeader("X-Cache", reply.status().name())
        .putHeader("Age", Long.toString(entry.ageSeconds(now)))
        .putHeader("Cache-Control", cacheControl);
    if (!response.headers().contains(DATA_SOURCE)) {
      response.putHeader(DATA_SOURCE, entry.fromSnapshot() ? "snapshot" : "cfbd");
    }

    if (etagMatches(context.request().getHeader("If-None-Match"), entry.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader("Content-Type", "application/json").end(entry.body());
  }

  /** Compares against an {@code If-None-Match} list; weak validators match too (RFC 9110). */
  static boolean etagMatches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*")) {
        return true;
      }
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
