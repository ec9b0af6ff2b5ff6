package io.scriptohio.gateway.http;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CFBD endpoints the gateway proxies and the query parameters each accepts, checked before any
 * quota is spent. Names and value ranges follow the CFBD API v2; a parameter CFBD would reject or
 * ignore is rejected here with a message that names it.
 */
public final class CfbdParameters {

  /** Endpoints the proxy serves, with their accepted parameters. */
  public static final Map<String, Set<String>> ENDPOINTS = Map.of(
      "games", Set.of("year", "week", "seasonType", "classification", "team", "home", "away",
          "conference", "id"),
      "lines", Set.of("year", "week", "seasonType", "team", "home", "away", "conference", "gameId",
          "provider"),
      "ratings/elo", Set.of("year", "week", "seasonType", "team", "conference"),
      "ratings/sp", Set.of("year", "team", "conference"),
      "ratings/srs", Set.of("year", "team", "conference"),
      "talent", Set.of("year"),
      "teams/fbs", Set.of("year"),
      "stats/season/advanced", Set.of("year", "team", "excludeGarbageTime", "startWeek", "endWeek"),
      "stats/game/advanced", Set.of("year", "week", "team", "opponent", "excludeGarbageTime",
          "seasonType"),
      "calendar", Set.of("year"));

  public static final Set<String> SEASON_TYPES = Set.of("regular", "postseason", "both", "allstar",
      "spring_regular", "spring_postseason");
  public static final Set<String> CLASSIFICATIONS = Set.of("fbs", "fcs", "ii", "iii");
  /** First season of college football; CFBD has no earlier data. */
  public static final int FIRST_SEASON = 1869;
  public static final int MAX_WEEK = 20;
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} .&'()\\-]{1,100}");
  private static final Pattern ID = Pattern.compile("[0-9]{1,12}");

  private final Clock clock;

  public CfbdParameters(Clock clock) {
    this.clock = clock;
  }

  /**
   * Checks the query of a request to {@code endpoint} (already known to be in {@link #ENDPOINTS}).
   *
   * @return every problem found; empty when the query is valid
   */
  public List<InvalidParameter> validate(String endpoint, Map<String, String> params) {
    List<InvalidParameter> invalid = new ArrayList<>();
    Set<String> accepted = ENDPOINTS.get(endpoint);
    for (Map.Entry<String, String> param : params.entrySet()) {
      String name = param.getKey();
      if (!accepted.contains(name)) {
        invalid.add(new InvalidParameter(name, param.getValue(),
            "not a parameter of /" + endpoint + "; accepted: " + String.join(", ", sorted(accepted))));
        continue;
      }
      String problem = checkValue(name, param.getValue());
      if (problem != null) {
        invalid.add(new InvalidParameter(name, param.getValue(), problem));
      }
    }

    boolean needsYear = Set.of("games", "lines", "talent", "calendar").contains(endpoint);
    boolean hasId = params.containsKey("id") || params.containsKey("gameId");
    if (needsYear && !params.containsKey("year") && !hasId) {
      invalid.add(new InvalidParameter("year", null, "required by /" + endpoint
          + (endpoint.equals("games") || endpoint.equals("lines") ? " unless a game id is given" : "")));
    }
    return invalid;
  }

  /** Returns the latest season a client may ask for: next year, for published schedules. */
  public int maxYear() {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC)).getYear() + 1;
  }

  private String checkValue(String name, String value) {
    switch (name) {
      case "year":
        return checkInt(value, FIRST_SEASON, maxYear());
      case "week":
      case "startWeek":
      case "endWeek":
        return checkInt(value, 1, MAX_WEEK);
      case "seasonType":
        return SEASON_TYPES.contains(value) ? null : "one of " + String.join(", ", sorted(SEASON_TYPES));
      case "classification":
        return CLASSIFICATIONS.contains(value) ? null
            : "one of " + String.join(", ", sorted(CLASSIFICATIONS));
      case "id":
      case "gameId":
        return ID.matcher(value).matches() ? null : "a numeric game id";
      case "excludeGarbageTime":
        return "true".equals(value) || "false".equals(value) ? null : "true or false";
      default:
        return NAME.matcher(value).matches() ? null
            : "1 to 100 letters, digits, spaces or . & ' ( ) -";
    }
  }

  private static String checkInt(String value, int min, int max) {
    String range = "an integer from " + min + " to " + max;
    try {
      int parsed = Integer.parseInt(value);
      return parsed < min || parsed > max ? range : null;
    } catch (NumberFormatException e) {
      return range;
    }
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
