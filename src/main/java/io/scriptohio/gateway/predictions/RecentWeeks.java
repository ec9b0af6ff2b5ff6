package io.scriptohio.gateway.predictions;

import io.scriptohio.gateway.cache.CacheReply;
import io.scriptohio.gateway.cache.CacheStatus;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The week responses most recently served, shared by {@link PredictionVerticle} and the HTTP
 * verticles so that a hot week is served on the HTTP event loop without an event-bus round trip.
 *
 * <p>An entry is trusted for {@link #REVALIDATE_AFTER_MILLIS} after the verticle last checked it
 * against the ETags of its CFBD inputs; after that the request goes through the verticle, which
 * checks again. So a change of CFBD data reaches clients at most that much later. Thread-safe.
 */
public final class RecentWeeks {

  /** How long a checked week response is served without checking its inputs again. */
  public static final long REVALIDATE_AFTER_MILLIS = 1000;

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(CacheReply reply, long checkedAtMillis) {
  }

  /** Returns the week's response as a cache hit if it was checked recently, else null. */
  public CacheReply find(int year, int week, String seasonType, long nowMillis) {
    Entry entry = entries.get(key(year, week, seasonType));
    if (entry == null || nowMillis - entry.checkedAtMillis() > REVALIDATE_AFTER_MILLIS) {
      return null;
    }
    return entry.reply();
  }

  /** Records a response whose inputs were checked at {@code nowMillis}. */
  void record(int year, int week, String seasonType, CacheReply reply, long nowMillis) {
    CacheReply hit = reply.status() == CacheStatus.HIT ? reply
        : new CacheReply(reply.response(), CacheStatus.HIT);
    entries.put(key(year, week, seasonType), new Entry(hit, nowMillis));
  }

  private static String key(int year, int week, String seasonType) {
    return year + ":" + week + ":" + seasonType;
  }
}
