package io.scriptohio.gateway.http;

import io.vertx.core.json.JsonObject;

/**
 * One rejected request parameter, listed in a problem body's {@code invalidParams}.
 *
 * @param name parameter name as the client sent it
 * @param value the rejected value, or null when the parameter was missing
 * @param reason what an accepted value looks like
 */
public record InvalidParameter(String name, String value, String reason) {

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("value", value).put("reason", reason);
  }

  /** Returns a one-line description for the problem's {@code detail}. */
  public String describe() {
    if (value == null) {
      return "missing parameter '" + name + "': " + reason;
    }
    return "invalid " + name + " '" + value + "': " + reason;
  }
}
