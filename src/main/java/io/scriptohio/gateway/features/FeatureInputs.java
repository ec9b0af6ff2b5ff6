package io.scriptohio.gateway.features;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CFBD records that feature building reads: games, per-game advanced statistics and talent.
 *
 * <p>Instances are filled once and then only read; they are not thread-safe while being filled.
 * Adding a record with an id already present replaces it, so overlapping responses are harmless.
 */
public final class FeatureInputs {

  private final Map<Long, GameRecord> games = new LinkedHashMap<>();
  private final Map<Long, Map<String, double[]>> offense = new HashMap<>();
  private final Map<Long, Map<String, double[]>> defense = new HashMap<>();
  private final Map<Integer, Map<String, Double>> talent = new HashMap<>();

  /** Adds the items of a {@code /games} response. */
  public FeatureInputs addGames(JsonArray items) {
    for (int i = 0; i < items.size(); i++) {
      GameRecord game = GameRecord.fromJson(items.getJsonObject(i));
      games.put(game.id(), game);
    }
    return this;
  }

  /** Adds the items of a {@code /stats/game/advanced} response (one item per team and game). */
  public FeatureInputs addAdvancedStats(JsonArray items) {
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      long gameId = item.getLong("gameId");
      String team = item.getString("team");
      offense.computeIfAbsent(gameId, id -> new HashMap<>()).put(team, readSide(item, "offense"));
      defense.computeIfAbsent(gameId, id -> new HashMap<>()).put(team, readSide(item, "defense"));
    }
    return this;
  }

  /** Adds the items of a {@code /talent?year=Y} response. */
  public FeatureInputs addTalent(int year, JsonArray items) {
    Map<String, Double> season = talent.computeIfAbsent(year, y -> new HashMap<>());
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      Number value = item.getNumber("talent");
      if (value != null) {
        season.put(item.getString("team"), value.doubleValue());
      }
    }
    return this;
  }

  /** Adds one game record directly, e.g. a hypothetical matchup or a fixture. */
  FeatureInputs addGame(GameRecord game) {
    games.put(game.id(), game);
    return this;
  }

  Collection<GameRecord> games() {
    return games.values();
  }

  GameRecord game(long id) {
    return games.get(id);
  }

  /** Returns the offense metrics of a team in a game, or null when CFBD has none. */
  double[] offense(long gameId, String team) {
    Map<String, double[]> teams = offense.get(gameId);
    return teams == null ? null : teams.get(team);
  }

  /** Returns the defense metrics of a team in a game, or null when CFBD has none. */
  double[] defense(long gameId, String team) {
    Map<String, double[]> teams = defense.get(gameId);
    return teams == null ? null : teams.get(team);
  }

  /** Returns whether both teams of a game have advanced statistics for it. */
  boolean hasStatsForBoth(GameRecord game) {
    return offense(game.id(), game.homeTeam()) != null && offense(game.id(), game.awayTeam()) != null;
  }

  /** Returns the talent table of a season, empty when CFBD has none. */
  Map<String, Double> talent(int year) {
    return talent.getOrDefault(year, Map.of());
  }

  /** Returns a copy that holds only the games and statistics accepted by the filter. */
  FeatureInputs filterGames(java.util.function.Predicate<GameRecord> keep) {
    FeatureInputs copy = new FeatureInputs();
    List<GameRecord> kept = new ArrayList<>();
    for (GameRecord game : games.values()) {
      if (keep.test(game)) {
        kept.add(game);
      }
    }
    for (GameRecord game : kept) {
      copy.games.put(game.id(), game);
      if (offense.containsKey(game.id())) {
        copy.offense.put(game.id(), offense.get(game.id()));
        copy.defense.put(game.id(), defense.get(game.id()));
      }
    }
    copy.talent.putAll(talent);
    return copy;
  }

  private static double[] readSide(JsonObject item, String side) {
    double[] values = new double[AdvancedMetric.COUNT];
    for (AdvancedMetric metric : AdvancedMetric.values()) {
      values[metric.ordinal()] = metric.read(item, side);
    }
    return values;
  }
}
