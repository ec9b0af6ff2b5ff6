package io.scriptohio.gateway.cfbd;

/**
 * Failure that {@link CfbdStandIn} returns in place of a normal response. Instances are immutable.
 */
public final class Fault {

  /** How the stand-in fails the request. */
  public enum Kind {
    /** An error status with a CFBD-style {@code {"message": ...}} body. */
    STATUS,
    /** The connection closes without a response. */
    RESET,
    /** The request never gets a response; only closing the stand-in ends it. */
    TIMEOUT,
    /** Status 200 with a body that is not JSON. */
    MALFORMED_JSON,
    /** Status 200 with the first half of the normal body. */
    TRUNCATED_JSON
  }

  private final Kind kind;
  private final int status;
  private final String message;

  private Fault(Kind kind, int status, String message) {
    this.kind = kind;
    this.status = status;
    this.message = message;
  }

  /** Returns a fault that responds with the status and its standard reason phrase as message. */
  public static Fault status(int status) {
    return new Fault(Kind.STATUS, status, reasonPhrase(status));
  }

  /** Returns the 429 that CFBD sends when the key's monthly quota is used up. */
  public static Fault quotaExceeded() {
    return new Fault(Kind.STATUS, 429, CfbdStandIn.QUOTA_EXCEEDED_MESSAGE);
  }

  /** Returns the 401 that CFBD sends for an unknown key. */
  public static Fault unauthorized() {
    return new Fault(Kind.STATUS, 401, CfbdStandIn.UNKNOWN_KEY_MESSAGE);
  }

  public static Fault reset() {
    return new Fault(Kind.RESET, 0, null);
  }

  public static Fault timeout() {
    return new Fault(Kind.TIMEOUT, 0, null);
  }

  public static Fault malformedJson() {
    return new Fault(Kind.MALFORMED_JSON, 200, null);
  }

  public static Fault truncatedJson() {
    return new Fault(Kind.TRUNCATED_JSON, 200, null);
  }

  public Kind kind() {
    return kind;
  }

  /** Returns the HTTP status sent, or 0 when no response is sent. */
  public int statusCode() {
    return status;
  }

  /** Returns the {@code message} of the JSON error body, or null when the fault sends none. */
  public String message() {
    return message;
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 429 -> "Too Many Requests";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      default -> "Error " + status;
    };
  }

  @Override
  public String toString() {
    return kind == Kind.STATUS ? "Fault[" + status + "]" : "Fault[" + kind + "]";
  }
}
