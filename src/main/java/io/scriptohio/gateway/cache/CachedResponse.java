package io.scriptohio.gateway.cache;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An immutable cached CFBD body with the facts needed to serve it: its ETag, when it was stored and
 * until when it is fresh. Passed by reference on the event bus and written to the HTTP response as
 * is, so a cache hit never copies or re-encodes the body.
 *
 * @param body the JSON bytes as CFBD sent them
 * @param etag strong entity tag, quoted, derived from the body
 * @param storedAtMillis epoch milliseconds when the body was fetched
 * @param freshUntilMillis epoch milliseconds after which the body is stale
 * @param fromSnapshot whether the body came from stored responses instead of CFBD
 */
public record CachedResponse(Buffer body, String etag, long storedAtMillis, long freshUntilMillis,
    boolean fromSnapshot) {

  /** Creates an entry, hashing the body for its ETag; call off the event loop for large bodies. */
  public static CachedResponse create(Buffer body, long storedAtMillis, long ttlMillis,
      boolean fromSnapshot) {
    return new CachedResponse(body, etagOf(body), storedAtMillis, storedAtMillis + ttlMillis,
        fromSnapshot);
  }

  public boolean freshAt(long nowMillis) {
    return nowMillis < freshUntilMillis;
  }

  /** Returns the whole seconds since the body was fetched, for the {@code Age} header. */
  public long ageSeconds(long nowMillis) {
    return Math.max(0, (nowMillis - storedAtMillis) / 1000);
  }

  /** Returns the whole seconds of freshness left, for {@code Cache-Control: max-age}. */
  public long maxAgeSeconds(long nowMillis) {
    return Math.max(0, (freshUntilMillis - nowMillis) / 1000);
  }

  /** Returns a quoted strong ETag: the first 128 bits of the body's SHA-256, in hex. */
  public static String etagOf(Buffer body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest(body.getBytes());
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
