package io.scriptohio.gateway.cfbd;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Query parameter semantics of the CFBD endpoints that {@link SnapshotStore} can serve from
 * stored files other than the exact one: which record fields a parameter filters on and how two
 * parameter values compare.
 *
 * <p>The rules follow the query code of the CFBD API v2 server (cfb-api-v2): team and conference names compare
 * case-insensitively, {@code conference} takes the CFBD abbreviation ({@code B1G}, {@code SEC})
 * and this class also accepts the full name that records carry, {@code seasonType=both} matches
 * every season type, and {@code classification} keeps a game when either side has it.
 */
final class RecordFilter {

  /** Parameters whose values are integers, so {@code week=03} and {@code week=3} are equal. */
  static final Set<String> INTEGER_PARAMS = Set.of("year", "week", "endWeek", "startWeek", "gameId", "id");

  private static final Set<String> CASE_INSENSITIVE_PARAMS =
      Set.of("team", "home", "away", "opponent", "conference", "provider", "classification");

  /** CFBD abbreviations of the FBS conferences, keyed by the full name that records carry. */
  private static final Map<String, String> CONFERENCE_ABBREVIATIONS = Map.ofEntries(
      Map.entry("acc", "acc"),
      Map.entry("american athletic", "aac"),
      Map.entry("big 12", "b12"),
      Map.entry("big ten", "b1g"),
      Map.entry("conference usa", "cusa"),
      Map.entry("fbs independents", "ind"),
      Map.entry("mid-american", "mac"),
      Map.entry("mountain west", "mwc"),
      Map.entry("pac-12", "pac"),
      Map.entry("sec", "sec"),
      Map.entry("sun belt", "sbc"));

  /** Rules shared by {@code games} and {@code lines}, whose items carry the same game fields. */
  private static final Map<String, BiPredicate<JsonObject, String>> GAME_RULES = Map.of(
      "year", integerField("season"),
      "week", integerField("week"),
      "seasonType", seasonTypeField(),
      "team", textField("homeTeam", "awayTeam"),
      "home", textField("homeTeam"),
      "away", textField("awayTeam"),
      "conference", conferenceField("homeConference", "awayConference"));

  private static final Map<String, Map<String, BiPredicate<JsonObject, String>>> FILTERS = Map.of(
      "games", withRules(GAME_RULES, Map.of(
          "classification", textField("homeClassification", "awayClassification"),
          "id", integerField("id"))),
      "lines", withRules(GAME_RULES, Map.of(
          "gameId", integerField("id"),
          // Items are kept here and their lines filtered in apply.
          "provider", (record, value) -> true)),
      "stats/game/advanced", Map.of(
          "year", integerField("season"),
          "week", integerField("week"),
          "seasonType", seasonTypeField(),
          "team", textField("team"),
          "opponent", textField("opponent"),
          "gameId", integerField("gameId")),
      "talent", Map.of(
          "year", integerField("year"),
          "team", textField("team")),
      // Team records carry no year, so year only selects files.
      "teams/fbs", Map.of(
          "conference", conferenceField("conference")));

  private RecordFilter() {
  }

  /** Returns whether records of the endpoint can be filtered, beyond exact file matches. */
  static boolean filters(String endpoint) {
    return FILTERS.containsKey(endpoint);
  }

  /**
   * Returns whether a stored parameter value matches a requested one, using the comparison CFBD
   * uses for that parameter.
   */
  static boolean sameValue(String name, String requested, String stored) {
    if (name.equals("seasonType") && requested.equalsIgnoreCase("both")) {
      return true;
    }
    if (INTEGER_PARAMS.contains(name)) {
      Long requestedNumber = parseInteger(requested);
      return requestedNumber != null && requestedNumber.equals(parseInteger(stored));
    }
    if (name.equals("conference")) {
      return sameConference(requested, stored);
    }
    if (CASE_INSENSITIVE_PARAMS.contains(name)) {
      return requested.equalsIgnoreCase(stored);
    }
    return requested.equals(stored);
  }

  /**
   * Filters the records of one stored file by the request parameters that the file's own
   * parameters do not fix. A parameter without a rule for the endpoint is ignored, because the
   * records have no field to check it against.
   *
   * @param records decoded records of the file; kept records may be modified in place
   * @param fileParams the parameters of the stored file, already checked against the request
   * @return the kept records in file order
   */
  static List<JsonObject> apply(CfbdRequest request, Map<String, String> fileParams, JsonArray records) {
    Map<String, BiPredicate<JsonObject, String>> rules = FILTERS.getOrDefault(request.endpoint(), Map.of());
    List<Map.Entry<String, String>> checks = request.params().entrySet().stream()
        .filter(param -> !fileParams.containsKey(param.getKey()) && rules.containsKey(param.getKey()))
        .toList();
    String provider = fileParams.containsKey("provider") ? null : request.param("provider");
    boolean filterLines = request.endpoint().equals("lines") && provider != null;

    List<JsonObject> kept = new ArrayList<>();
    for (Object item : records) {
      if (!(item instanceof JsonObject record)) {
        continue;
      }
      boolean matches = checks.stream()
          .allMatch(param -> rules.get(param.getKey()).test(record, param.getValue()));
      if (!matches) {
        continue;
      }
      if (filterLines && !keepProviderLines(record, provider)) {
        continue;
      }
      kept.add(record);
    }
    return kept;
  }

  /** Keeps only the lines of one provider and returns false when the item has none left. */
  private static boolean keepProviderLines(JsonObject record, String provider) {
    JsonArray lines = record.getJsonArray("lines");
    if (lines == null) {
      return false;
    }
    JsonArray matching = new JsonArray();
    for (Object line : lines) {
      if (line instanceof JsonObject entry && provider.equalsIgnoreCase(entry.getString("provider"))) {
        matching.add(entry);
      }
    }
    record.put("lines", matching);
    return !matching.isEmpty();
  }

  private static Map<String, BiPredicate<JsonObject, String>> withRules(
      Map<String, BiPredicate<JsonObject, String>> shared, Map<String, BiPredicate<JsonObject, String>> own) {
    Map<String, BiPredicate<JsonObject, String>> rules = new HashMap<>(shared);
    rules.putAll(own);
    return Map.copyOf(rules);
  }

  private static BiPredicate<JsonObject, String> integerField(String field) {
    return (record, value) -> {
      Object stored = record.getValue(field);
      Long requested = parseInteger(value);
      return stored instanceof Number number && requested != null && number.longValue() == requested;
    };
  }

  private static BiPredicate<JsonObject, String> textField(String... fields) {
    return (record, value) -> {
      for (String field : fields) {
        if (record.getValue(field) instanceof String stored && stored.equalsIgnoreCase(value)) {
          return true;
        }
      }
      return false;
    };
  }

  private static BiPredicate<JsonObject, String> conferenceField(String... fields) {
    return (record, value) -> {
      for (String field : fields) {
        if (record.getValue(field) instanceof String stored && sameConference(value, stored)) {
          return true;
        }
      }
      return false;
    };
  }

  private static BiPredicate<JsonObject, String> seasonTypeField() {
    return (record, value) -> value.equalsIgnoreCase("both") || value.equals(record.getString("seasonType"));
  }

  private static boolean sameConference(String requested, String stored) {
    String requestedName = requested.toLowerCase(Locale.ROOT);
    String storedName = stored.toLowerCase(Locale.ROOT);
    return requestedName.equals(storedName) || requestedName.equals(CONFERENCE_ABBREVIATIONS.get(storedName));
  }

  private static Long parseInteger(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
