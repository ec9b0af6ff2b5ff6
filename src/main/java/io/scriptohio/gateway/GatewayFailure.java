package io.scriptohio.gateway;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A failure that a client may see: an HTTP status, a title, a detail that names the bad value,
 * and optionally the seconds after which a retry may succeed.
 *
 * <p>It crosses the event bus as a {@link ReplyException} whose message is this object's JSON, so
 * that the HTTP layer can turn any verticle's failure into the same RFC 9457 problem body. Details
 * must never carry secrets or internal exception messages. Stack traces are not filled in,
 * because these failures are expected outcomes on hot paths (quota exhausted, bad input).
 */
public final class GatewayFailure extends RuntimeException {

  private final int status;
  private final String title;
  private final String detail;
  private final long retryAfterSeconds;
  private final JsonArray invalidParams;

  public GatewayFailure(int status, String title, String detail) {
    this(status, title, detail, -1);
  }

  public GatewayFailure(int status, String title, String detail, long retryAfterSeconds) {
    this(status, title, detail, retryAfterSeconds, null);
  }

  /**
   * @param invalidParams {@code [{name, value, reason}]} for the problem body, or null
   */
  public GatewayFailure(int status, String title, String detail, long retryAfterSeconds,
      JsonArray invalidParams) {
    super(title + ": " + detail, null, false, false);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
    this.invalidParams = invalidParams;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return detail;
  }

  /** Returns seconds for a {@code Retry-After} header, or -1 when there is none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Returns the rejected parameters, {@code [{name, value, reason}]}, or null. */
  public JsonArray invalidParams() {
    return invalidParams;
  }

  /** Fails an event-bus message with this failure. */
  public void failMessage(Message<?> message) {
    message.fail(status, toJson().encode());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("status", status).put("title", title).put("detail", detail);
    if (retryAfterSeconds >= 0) {
      json.put("retryAfter", retryAfterSeconds);
    }
    if (invalidParams != null) {
      json.put("invalidParams", invalidParams);
    }
    return json;
  }

  /**
   * Converts any failure into a client-facing one. Event-bus timeouts become 504, a missing
   * consumer 503, and anything unexpected 500 with a generic detail.
   */
  public static GatewayFailure from(Throwable cause) {
    if (cause instanceof GatewayFailure) {
      return (GatewayFailure) cause;
    }
    if (cause instanceof ReplyException) {
      ReplyException reply = (ReplyException) cause;
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return new GatewayFailure(504, "Gateway Timeout", "An internal step did not answer in time");
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return new GatewayFailure(503, "Service Unavailable", "The gateway is still starting or stopping");
      }
      GatewayFailure decoded = decode(reply.failureCode(), reply.getMessage());
      if (decoded != null) {
        return decoded;
      }
    }
    return new GatewayFailure(500, "Internal Server Error", "Unexpected error; see the gateway log");
  }

  private static GatewayFailure decode(int code, String message) {
    if (message == null || !message.startsWith("{")) {
      return null;
    }
    try {
      JsonObject json = new JsonObject(message);
      return new GatewayFailure(json.getInteger("status", code), json.getString("title", "Error"),
          json.getString("detail", ""), json.getLong("retryAfter", -1L),
          json.getJsonArray("invalidParams"));
    } catch (DecodeException e) {
      return null;
    }
  }
}
