package io.scriptohio.gateway.features;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Feature vector of one game, built only from games completed before its kickoff.
 *
 * @param gameId CFBD game id; 0 for a hypothetical matchup
 * @param season season year
 * @param week CFBD week (postseason games are week 1)
 * @param seasonType {@code regular} or {@code postseason}
 * @param kickoff kickoff instant in UTC, null when CFBD has none (2014)
 * @param homeTeam CFBD name of the home team (the first-named team at a neutral site)
 * @param awayTeam CFBD name of the away team
 * @param neutral whether the game is at a neutral site
 * @param completed whether the final score is known
 * @param homePoints final home points, null unless completed
 * @param awayPoints final away points, null unless completed
 * @param values features in {@link FeatureSchema#NAMES} order; NaN where missing
 * @param missing names of the missing features, in schema order
 * @param presentFraction share of features that are present, 0 to 1
 */
public record GameFeatures(
    long gameId,
    int season,
    int week,
    String seasonType,
    Instant kickoff,
    String homeTeam,
    String awayTeam,
    boolean neutral,
    boolean completed,
    Integer homePoints,
    Integer awayPoints,
    float[] values,
    List<String> missing,
    double presentFraction) {

  /** Returns the value of one feature by name. */
  public float value(String name) {
    int index = FeatureSchema.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("unknown feature '" + name + "'");
    }
    return values[index];
  }

  /**
   * Decides whether the vector is complete enough for a prediction.
   *
   * @param threshold minimum {@link #presentFraction()}, 0 to 1
   * @return empty when a prediction may be made, else the reason with the missing feature names
   */
  public Optional<String> qualityProblem(double threshold) {
    if (presentFraction >= threshold) {
      return Optional.empty();
    }
    return Optional.of(String.format(java.util.Locale.ROOT,
        "only %.3f of the features are present (minimum %.3f); missing: %s",
        presentFraction, threshold, String.join(", ", missing)));
  }
}
