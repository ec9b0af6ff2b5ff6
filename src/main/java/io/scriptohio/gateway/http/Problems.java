package io.scriptohio.gateway.http;

import io.scriptohio.gateway.GatewayFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Writes RFC 9457 problem details ({@code application/problem+json}). Every 4xx and 5xx response of
 * the gateway goes through here, so clients get one shape: {@code type}, {@code title},
 * {@code status}, {@code detail} naming the bad value, {@code instance} (the request path) and,
 * for parameter errors, {@code invalidParams}. Internal exception messages never reach a body.
 */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {
  }

  /** Sends a problem built from any failure. */
  public static void send(RoutingContext context, Throwable failure) {
    send(context, GatewayFailure.from(failure), List.of());
  }

  /** Sends a 400 problem listing every invalid parameter. */
  public static void badRequest(RoutingContext context, List<InvalidParameter> invalid) {
    String detail = String.join("; ", invalid.stream().map(InvalidParameter::describe).toList());
    send(context, new GatewayFailure(400, "Bad Request", detail), invalid);
  }

  public static void send(RoutingContext context, GatewayFailure failure,
      List<InvalidParameter> invalid) {
    HttpServerResponse response = context.response();
    if (response.ended()) {
      // The request timeout has already answered; a late failure has no one to tell.
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }

    JsonObject body = new JsonObject()
        .put("type", "about:blank")
        .put("title", failure.title())
        .put("status", failure.status())
        .put("detail", failure.detail())
        .put("instance", context.request().path());
    if (!invalid.isEmpty()) {
      body.put("invalidParams", new JsonArray(invalid.stream().map(InvalidParameter::toJson).toList()));
    } else if (failure.invalidParams() != null) {
      body.put("invalidParams", failure.invalidParams());
    }
    if (failure.retryAfterSeconds() >= 0) {
      response.putHeader("Retry-After", Long.toString(failure.retryAfterSeconds()));
    }
    response.setStatusCode(failure.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(body.toBuffer());
  }
}
