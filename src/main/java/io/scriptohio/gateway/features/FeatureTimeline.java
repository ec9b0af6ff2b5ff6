package io.scriptohio.gateway.features;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Builds point-in-time feature vectors by replaying all games in kickoff order.
 *
 * <p>The replay keeps Elo ratings, season-to-date statistics and each team's last kickoff. Before
 * a group of games that share one kickoff instant it computes their features, and only then does
 * it apply their results. So the features of a game depend only on games with a strictly earlier
 * kickoff, and a fixture without a score changes nothing. Pure: no I/O, no shared state; the
 * caller runs it off the event loop because a full replay takes some tens of milliseconds.
 */
final class FeatureTimeline {

  /** Cap on rest days, so a bye week and a long layoff look alike; openers get the cap and a flag. */
  static final double MAX_REST_DAYS = 21;

  private final FeatureInputs inputs;

  private final EloRatings elo = new EloRatings();
  private final Map<String, Instant> lastKickoff = new HashMap<>();
  private final Set<String> fbsThisSeason = new HashSet<>();
  private SeasonToDate stats;
  private int season = Integer.MIN_VALUE;

  FeatureTimeline(FeatureInputs inputs) {
    this.inputs = inputs;
  }

  /**
   * Replays every game and returns the features of the selected ones.
   *
   * @param wanted selects the games whose features are returned
   * @return features keyed by game id, in timeline order
   */
  static Map<Long, GameFeatures> build(FeatureInputs inputs, Predicate<GameRecord> wanted) {
    return new FeatureTimeline(inputs).replay(wanted, (game, stats) -> { });
  }

  /** Receives the season-to-date statistics as they stand just before a selected game. */
  interface StatsObserver {
    void beforeGame(GameRecord game, SeasonToDate stats);
  }

  /** Replays every game like {@link #build} and also shows the observer the state before each selected game. */
  static Map<Long, GameFeatures> build(FeatureInputs inputs, Predicate<GameRecord> wanted, StatsObserver observer) {
    return new FeatureTimeline(inputs).replay(wanted, observer);
  }

  private Map<Long, GameFeatures> replay(Predicate<GameRecord> wanted, StatsObserver observer) {
    List<GameRecord> ordered = new ArrayList<>(inputs.games());
    ordered.sort(Comparator.comparing(GameRecord::order).thenComparingLong(GameRecord::id));

    Map<Long, GameFeatures> result = new LinkedHashMap<>();
    int start = 0;
    while (start < ordered.size()) {
      int end = start;
      Instant instant = ordered.get(start).order();
      while (end < ordered.size() && ordered.get(end).order().equals(instant)) {
        end++;
      }
      List<GameRecord> group = ordered.subList(start, end);

      for (GameRecord game : group) {
        enterSeason(game.season());
        if (wanted.test(game)) {
          observer.beforeGame(game, stats);
          result.put(game.id(), features(game));
        }
      }

      for (GameRecord game : group) {
        apply(game);
      }
      start = end;
    }
    return result;
  }

  private void enterSeason(int nextSeason) {
    if (nextSeason == season) {
      return;
    }
    boolean first = season == Integer.MIN_VALUE;
    elo.startSeason(first);
    stats = new SeasonToDate(stats, Set.copyOf(fbsThisSeason));
    fbsThisSeason.clear();
    lastKickoff.clear();
    season = nextSeason;
  }

  private void apply(GameRecord game) {
    if (!game.hasResult()) {
      return;
    }
    elo.update(game);

    for (String team : List.of(game.homeTeam(), game.awayTeam())) {
      double[] offense = inputs.offense(game.id(), team);
      double[] defense = inputs.defense(game.id(), team);
      if (offense != null && defense != null) {
        stats.add(team, offense, defense);
      }
      if (game.kickoff() != null) {
        lastKickoff.put(team, game.kickoff());
      }
    }
    if (game.homeFbs()) {
      fbsThisSeason.add(game.homeTeam());
    }
    if (game.awayFbs()) {
      fbsThisSeason.add(game.awayTeam());
    }
  }

  private GameFeatures features(GameRecord game) {
    VectorBuilder vector = new VectorBuilder();
    vector.set(FeatureSchema.NEUTRAL_SITE, game.neutral() ? 1 : 0);

    setRest(vector, game, game.homeTeam(), FeatureSchema.HOME_REST_DAYS, FeatureSchema.HOME_SEASON_OPENER);
    setRest(vector, game, game.awayTeam(), FeatureSchema.AWAY_REST_DAYS, FeatureSchema.AWAY_SEASON_OPENER);

    double homeElo = elo.rating(game.homeTeam(), game.homeFbs());
    double awayElo = elo.rating(game.awayTeam(), game.awayFbs());
    vector.set(FeatureSchema.HOME_ELO, homeElo);
    vector.set(FeatureSchema.AWAY_ELO, awayElo);
    vector.set(FeatureSchema.ELO_DIFF, homeElo - awayElo);

    setTalent(vector, game);
    setStatistics(vector, game);

    return vector.toFeatures(game);
  }

  private void setRest(VectorBuilder vector, GameRecord game, String team, String restName, String openerName) {
    Instant previous = lastKickoff.get(team);
    vector.set(openerName, previous == null ? 1 : 0);
    if (game.kickoff() == null) {
      vector.set(restName, Double.NaN);
      return;
    }
    double days = previous == null
        ? MAX_REST_DAYS
        : Duration.between(previous, game.kickoff()).toMinutes() / (24.0 * 60);
    vector.set(restName, Math.min(days, MAX_REST_DAYS));
  }

  /**
   * Sets the talent difference. A team absent from the season's talent table gets the lowest
   * talent listed that season and its flag; a season without any table leaves the difference missing.
   */
  private void setTalent(VectorBuilder vector, GameRecord game) {
    Map<String, Double> table = inputs.talent(game.season());
    Double home = table.get(game.homeTeam());
    Double away = table.get(game.awayTeam());
    vector.set(FeatureSchema.HOME_TALENT_MISSING, home == null ? 1 : 0);
    vector.set(FeatureSchema.AWAY_TALENT_MISSING, away == null ? 1 : 0);
    if (table.isEmpty()) {
      vector.set(FeatureSchema.TALENT_DIFF, Double.NaN);
      return;
    }
    double floor = table.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    vector.set(FeatureSchema.TALENT_DIFF, (home == null ? floor : home) - (away == null ? floor : away));
  }

  private void setStatistics(VectorBuilder vector, GameRecord game) {
    String home = game.homeTeam();
    String away = game.awayTeam();
    vector.set(FeatureSchema.HOME_OFF_PPA, stats.offense(home, AdvancedMetric.PPA));
    vector.set(FeatureSchema.HOME_DEF_PPA, stats.defense(home, AdvancedMetric.PPA));
    vector.set(FeatureSchema.AWAY_OFF_PPA, stats.offense(away, AdvancedMetric.PPA));
    vector.set(FeatureSchema.AWAY_DEF_PPA, stats.defense(away, AdvancedMetric.PPA));
    for (AdvancedMetric metric : AdvancedMetric.values()) {
      vector.set(FeatureSchema.offenseDiffName(metric), stats.offense(home, metric) - stats.offense(away, metric));
      vector.set(FeatureSchema.defenseDiffName(metric), stats.defense(home, metric) - stats.defense(away, metric));
    }
  }

  /** Collects values by name and derives the missing list and the present fraction. */
  private static final class VectorBuilder {
    private final float[] values = new float[FeatureSchema.NAMES.size()];

    void set(String name, double value) {
      values[FeatureSchema.indexOf(name)] = (float) value;
    }

    GameFeatures toFeatures(GameRecord game) {
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < values.length; i++) {
        if (Float.isNaN(values[i])) {
          missing.add(FeatureSchema.NAMES.get(i));
        }
      }
      double present = 1 - (double) missing.size() / values.length;
      return new GameFeatures(game.id(), game.season(), game.week(), game.seasonType(), game.kickoff(),
          game.homeTeam(), game.awayTeam(), game.neutral(), game.hasResult(),
          game.homePoints(), game.awayPoints(), values, List.copyOf(missing), present);
    }
  }
}
