package io.scriptohio.gateway.cache;

import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Decides how long a CFBD body stays fresh, from what the data is.
 *
 * <ul>
 *   <li>An empty array: {@link #EMPTY} (a week may simply not be published yet).
 *   <li>Games or lines with a game still to be played: {@link #LIVE_GAMES}, because kickoff times,
 *       lines and scores change during the week.
 *   <li>A past season: {@link #PAST_SEASON} (finished seasons do not change).
 *   <li>Games or lines where every game is finished: {@link #COMPLETED_GAMES}.
 *   <li>Anything else: the configured default ({@code CFBD_CACHE_TTL}).
 * </ul>
 * The checks scan bytes for the markers CFBD writes instead of decoding the JSON, so they are
 * cheap enough for the event loop.
 */
public final class TtlPolicy {

  public static final Duration EMPTY = Duration.ofMinutes(5);
  public static final Duration PAST_SEASON = Duration.ofDays(7);
  public static final Duration COMPLETED_GAMES = Duration.ofDays(1);
  public static final Duration LIVE_GAMES = Duration.ofMinutes(5);
  /** Seasons end with the bowls in January, so a season's year counts as current until March. */
  private static final int FIRST_MONTH_OF_NEXT_SEASON = 3;

  private static final byte[] NOT_COMPLETED = "\"completed\":false".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NO_HOME_SCORE = "\"homeScore\":null".getBytes(StandardCharsets.UTF_8);

  private final Duration defaultTtl;
  private final Clock clock;

  public TtlPolicy(Duration defaultTtl, Clock clock) {
    this.defaultTtl = defaultTtl;
    this.clock = clock;
  }

  /** Returns the freshness of {@code body}, fetched now for {@code request}. */
  public Duration ttlFor(CfbdRequest request, Buffer body) {
    if (isEmptyArray(body)) {
      return EMPTY;
    }
    // A game still to be played can change (kickoff, line, result) even in a season that the
    // calendar calls past, so that check comes first.
    boolean games = "games".equals(request.endpoint());
    boolean lines = "lines".equals(request.endpoint());
    if ((games && contains(body, NOT_COMPLETED)) || (lines && contains(body, NO_HOME_SCORE))) {
      return LIVE_GAMES;
    }
    String year = request.param("year");
    if (year != null && isPastSeason(year)) {
      return PAST_SEASON;
    }
    if (games || lines) {
      return COMPLETED_GAMES;
    }
    return defaultTtl;
  }

  /** Returns the season that is being played now (or whose bowls are), by the clock. */
  public int currentSeason() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    return today.getMonthValue() < FIRST_MONTH_OF_NEXT_SEASON ? today.getYear() - 1 : today.getYear();
  }

  private boolean isPastSeason(String year) {
    try {
      return Integer.parseInt(year) < currentSeason();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Returns whether the body is {@code []}, reading only up to its first element. */
  private static boolean isEmptyArray(Buffer body) {
    int position = skipWhitespace(body, 0);
    if (position >= body.length() || body.getByte(position) != '[') {
      return false;
    }
    position = skipWhitespace(body, position + 1);
    if (position >= body.length() || body.getByte(position) != ']') {
      return false;
    }
    return skipWhitespace(body, position + 1) == body.length();
  }

  private static int skipWhitespace(Buffer body, int from) {
    int position = from;
    while (position < body.length() && Character.isWhitespace(body.getByte(position))) {
      position++;
    }
    return position;
  }

  private static boolean contains(Buffer body, byte[] marker) {
    int limit = body.length() - marker.length;
    outer:
    for (int i = 0; i <= limit; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (body.getByte(i + j) != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
