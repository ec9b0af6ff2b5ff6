package io.scriptohio.gateway.features;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Season-to-date averages of the advanced metrics of every team in one season, offense and
 * defense, shrunk towards a prior while few games are in.
 *
 * <p>For metric m of a team with n_m games so far and raw average a_m, the value is
 * {@code w * a_m + (1 - w) * p_m} with {@code w = n_m / (n_m + K)}. The prior p_m is the team's
 * previous-season average regressed to that season's FBS mean,
 * {@code mean_m + PRIOR_CARRY_OVER * (previous_m - mean_m)}. A team without previous-season
 * statistics has no prior of its own: with games played it shrinks towards the previous-season FBS
 * mean (or, in the first season of the data, the current season's running mean of all teams); with
 * no games played its value is missing. Not thread-safe.
 */
final class SeasonToDate {

  /** Games of evidence that weigh as much as the prior: the weight of the season average is n/(n+K). */
  static final double K = 3;

  /** Share of a team's previous-season distance from the FBS mean that its prior keeps. */
  static final double PRIOR_CARRY_OVER = 0.5;

  private final Map<String, Totals> offense = new HashMap<>();
  private final Map<String, Totals> defense = new HashMap<>();
  private final Totals leagueOffense = new Totals();
  private final Totals leagueDefense = new Totals();
  private final SeasonToDate previous;
  private final double[] previousOffenseMean;
  private final double[] previousDefenseMean;

  /**
   * Starts a season.
   *
   * @param previous the finished previous season, or null when there is none with statistics
   * @param previousFbs teams that played as FBS in the previous season
   */
  SeasonToDate(SeasonToDate previous, Set<String> previousFbs) {
    this.previous = previous != null && previous.offense.isEmpty() ? null : previous;
    this.previousOffenseMean = this.previous == null ? null : this.previous.fbsMean(this.previous.offense, previousFbs);
    this.previousDefenseMean = this.previous == null ? null : this.previous.fbsMean(this.previous.defense, previousFbs);
  }

  /** Adds a team's statistics of one completed game. */
  void add(String team, double[] offenseValues, double[] defenseValues) {
    offense.computeIfAbsent(team, t -> new Totals()).add(offenseValues);
    defense.computeIfAbsent(team, t -> new Totals()).add(defenseValues);
    leagueOffense.add(offenseValues);
    leagueDefense.add(defenseValues);
  }

  /** Returns the raw (unshrunk) average of a team's offense metric so far, NaN without games. */
  double rawOffense(String team, AdvancedMetric metric) {
    Totals totals = offense.get(team);
    return totals == null ? Double.NaN : totals.average(metric.ordinal());
  }

  /** Returns the raw (unshrunk) average of a team's defense metric so far, NaN without games. */
  double rawDefense(String team, AdvancedMetric metric) {
    Totals totals = defense.get(team);
    return totals == null ? Double.NaN : totals.average(metric.ordinal());
  }

  /** Returns the shrunk offense value of a team, NaN when it is missing. */
  double offense(String team, AdvancedMetric metric) {
    return shrunk(offense.get(team), previous == null ? null : previous.offense.get(team),
        previousOffenseMean, leagueOffense, metric.ordinal());
  }

  /** Returns the shrunk defense value of a team, NaN when it is missing. */
  double defense(String team, AdvancedMetric metric) {
    return shrunk(defense.get(team), previous == null ? null : previous.defense.get(team),
        previousDefenseMean, leagueDefense, metric.ordinal());
  }

  private static double shrunk(Totals current, Totals last, double[] lastMean, Totals league, int m) {
    double mean = lastMean != null ? lastMean[m] : league.average(m);
    double prior = last != null && last.count[m] > 0 && lastMean != null
        ? lastMean[m] + PRIOR_CARRY_OVER * (last.average(m) - lastMean[m])
        : Double.NaN;
    int n = current == null ? 0 : current.count[m];
    if (n == 0) {
      return prior;
    }
    double weight = n / (n + K);
    double target = Double.isNaN(prior) ? mean : prior;
    return weight * current.average(m) + (1 - weight) * target;
  }

  /** Returns the mean over FBS teams of their full-season averages, per metric. */
  private double[] fbsMean(Map<String, Totals> sides, Set<String> fbs) {
    double[] sum = new double[AdvancedMetric.COUNT];
    int[] teams = new int[AdvancedMetric.COUNT];
    for (Map.Entry<String, Totals> entry : sides.entrySet()) {
      if (!fbs.contains(entry.getKey())) {
        continue;
      }
      for (int m = 0; m < AdvancedMetric.COUNT; m++) {
        if (entry.getValue().count[m] > 0) {
          sum[m] += entry.getValue().average(m);
          teams[m]++;
        }
      }
    }
    double[] mean = new double[AdvancedMetric.COUNT];
    for (int m = 0; m < AdvancedMetric.COUNT; m++) {
      mean[m] = teams[m] == 0 ? Double.NaN : sum[m] / teams[m];
    }
    return mean;
  }

  /** Running sums and counts per metric; a NaN value counts as absent. */
  private static final class Totals {
    final double[] sum = new double[AdvancedMetric.COUNT];
    final int[] count = new int[AdvancedMetric.COUNT];

    void add(double[] values) {
      for (int m = 0; m < values.length; m++) {
        if (!Double.isNaN(values[m])) {
          sum[m] += values[m];
          count[m]++;
        }
      }
    }

    double average(int m) {
      return count[m] == 0 ? Double.NaN : sum[m] / count[m];
    }
  }
}
