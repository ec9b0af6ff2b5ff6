package io.scriptohio.gateway.predictions;

import io.vertx.core.json.JsonObject;

/**
 * Accumulates the evaluation metrics of one model over completed games.
 *
 * <ul>
 *   <li>accuracy: share of games where the predicted winner won; a model predicts the home team
 *       when its probability is above 0.5, the market when the spread is negative, and a game
 *       counts as a home win when the home team scored more points (college games cannot end
 *       tied since overtime came to every game in 1996);
 *   <li>Brier score: mean of (p − y)², y = 1 for a home win;
 *   <li>log loss: mean of −(y·ln p + (1 − y)·ln(1 − p)), with p clipped to [1e-15, 1 − 1e-15]
 *       as scikit-learn does;
 *   <li>margin MAE: mean of |predicted − actual home margin|, for models that predict a margin.
 * </ul>
 */
final class Metrics {

  /** Probability clip for the log loss, the same as scikit-learn's {@code log_loss}. */
  static final double EPSILON = 1e-15;

  private int games;
  private int correct;
  private double brierSum;
  private double logLossSum;
  private int marginGames;
  private double marginErrorSum;

  /** Adds one completed game with a home-win probability and, optionally, a predicted margin. */
  void add(double probability, Double predictedMargin, int actualMargin) {
    add(probability, predictedMargin, actualMargin, probability > 0.5);
  }

  /**
   * Adds one completed game whose predicted winner is given separately, for the market, whose
   * pick is the favoured team rather than the side of its fitted probability.
   */
  void add(double probability, Double predictedMargin, int actualMargin, boolean homePredicted) {
    double outcome = actualMargin > 0 ? 1.0 : 0.0;
    games++;
    if (homePredicted == (actualMargin > 0)) {
      correct++;
    }
    brierSum += (probability - outcome) * (probability - outcome);
    double clipped = Math.min(Math.max(probability, EPSILON), 1 - EPSILON);
    logLossSum += -(outcome * Math.log(clipped) + (1 - outcome) * Math.log(1 - clipped));
    if (predictedMargin != null) {
      marginGames++;
      marginErrorSum += Math.abs(predictedMargin - actualMargin);
    }
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("games", games);
    if (games > 0) {
      json.put("accuracy", (double) correct / games)
          .put("brier", brierSum / games)
          .put("logLoss", logLossSum / games);
    }
    if (marginGames > 0) {
      json.put("marginMae", marginErrorSum / marginGames);
    }
    return json;
  }
}
