package io.scriptohio.gateway.features;

import java.util.HashMap;
import java.util.Map;

/**
 * Elo ratings of FBS teams, updated game by game in kickoff order, in the style FiveThirtyEight
 * published for the NFL: a logistic expectation on a 400-point scale, a fixed K, a home-field
 * bonus, a margin-of-victory multiplier damped by the winner's rating edge, and regression to the
 * mean between seasons.
 *
 * <p>FCS teams are not rated individually: every team that plays as FCS in a game has the fixed
 * rating {@link #FCS_RATING}, which no game changes. Not thread-safe.
 */
final class EloRatings {

  /** Rating of an FBS team in the first season of the data (2014) and the scale's mean. */
  static final double MEAN_RATING = 1500;

  /** Starting rating of a team that first plays as FBS after the first season (a newcomer from FCS). */
  static final double NEWCOMER_RATING = 1350;

  /** Fixed rating of every FCS team: about the level of the weakest FBS teams. */
  static final double FCS_RATING = 1250;

  /** Rating points moved per unit of surprise, before the margin-of-victory multiplier. */
  static final double K = 25;

  /** Rating points added to the home team when the site is not neutral. */
  static final double HOME_FIELD_ADVANTAGE = 55;

  /** Share of a team's distance from the mean that it keeps into the next season. */
  static final double SEASON_CARRY_OVER = 2.0 / 3.0;

  private final Map<String, Double> ratings = new HashMap<>();
  private boolean firstSeason = true;

  /** Returns the pregame rating of a team, or the rating a new team would start with. */
  double rating(String team, boolean fbs) {
    if (!fbs) {
      return FCS_RATING;
    }
    return ratings.getOrDefault(team, firstSeason ? MEAN_RATING : NEWCOMER_RATING);
  }

  /** Moves every rating a third of the way back to the mean; called once before each new season. */
  void startSeason(boolean isFirstSeason) {
    if (!isFirstSeason) {
      firstSeason = false;
    }
    ratings.replaceAll((team, rating) -> MEAN_RATING + SEASON_CARRY_OVER * (rating - MEAN_RATING));
  }

  /**
   * Returns the expected score of the home team, 0 to 1.
   *
   * @param homeRating home rating without the home-field bonus
   * @param awayRating away rating
   */
  static double expectedHome(double homeRating, double awayRating, boolean neutral) {
    double diff = homeRating + (neutral ? 0 : HOME_FIELD_ADVANTAGE) - awayRating;
    return 1 / (1 + Math.pow(10, -diff / 400));
  }

  /**
   * Returns the margin-of-victory multiplier: ln(|margin| + 1) * 2.2 / (0.001 * winner edge + 2.2),
   * where the winner edge is the winner's rating (with the home bonus) minus the loser's. A tie
   * gives 0, so it changes no rating.
   */
  static double marginMultiplier(int margin, double homeEdge) {
    if (margin == 0) {
      return 0;
    }
    double winnerEdge = margin > 0 ? homeEdge : -homeEdge;
    return Math.log(Math.abs(margin) + 1) * 2.2 / (0.001 * winnerEdge + 2.2);
  }

  /** Applies a final score; FCS teams keep {@link #FCS_RATING}. */
  void update(GameRecord game) {
    double home = rating(game.homeTeam(), game.homeFbs());
    double away = rating(game.awayTeam(), game.awayFbs());
    int margin = game.homePoints() - game.awayPoints();

    double expected = expectedHome(home, away, game.neutral());
    double actual = margin > 0 ? 1 : margin < 0 ? 0 : 0.5;
    double homeEdge = home + (game.neutral() ? 0 : HOME_FIELD_ADVANTAGE) - away;
    double shift = K * marginMultiplier(margin, homeEdge) * (actual - expected);

    if (game.homeFbs()) {
      ratings.put(game.homeTeam(), home + shift);
    }
    if (game.awayFbs()) {
      ratings.put(game.awayTeam(), away - shift);
    }
  }
}
