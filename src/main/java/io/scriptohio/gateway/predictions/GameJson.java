package io.scriptohio.gateway.predictions;

import io.scriptohio.gateway.features.GameFeatures;
import io.scriptohio.gateway.inference.ModelOutputs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * JSON of one game of a predictions response. Margins are home minus away points, probabilities
 * are of a home win, and the spread is the market's (negative when the home team is favoured).
 */
final class GameJson {

  private GameJson() {
  }

  /**
   * Builds the game's JSON.
   *
   * @param outputs the models' outputs, or null when the game is below the data-quality threshold
   * @param rejection why no prediction was made, or null
   * @param spread the market spread, or null when no book has a line
   */
  static JsonObject build(GameFeatures game, ModelOutputs outputs, String rejection, Double spread,
      double threshold) {
    JsonObject json = new JsonObject()
        .put("gameId", game.gameId())
        .put("season", game.season())
        .put("week", game.week())
        .put("seasonType", game.seasonType())
        .put("kickoff", game.kickoff() == null ? null : game.kickoff().toString())
        .put("homeTeam", game.homeTeam())
        .put("awayTeam", game.awayTeam())
        .put("neutralSite", game.neutral())
        .put("completed", game.completed());

    if (game.completed() && game.homePoints() != null && game.awayPoints() != null) {
      json.put("result", new JsonObject()
          .put("homePoints", game.homePoints())
          .put("awayPoints", game.awayPoints())
          .put("margin", game.homePoints() - game.awayPoints()));
    }

    json.put("dataQuality", new JsonObject()
        .put("presentFraction", game.presentFraction())
        .put("threshold", threshold)
        .put("missing", new JsonArray(game.missing())));

    if (outputs == null) {
      json.put("status", "insufficient_data").put("reason", rejection);
    } else {
      json.put("status", "predicted")
          .put("predictedMargin", outputs.ensembleMargin())
          .put("homeWinProbability", outputs.ensembleProbability())
          .put("predictedWinner", outputs.ensembleProbability() > 0.5 ? game.homeTeam() : game.awayTeam())
          .put("models", new JsonObject()
              .put("ridge_margin", new JsonObject()
                  .put("margin", outputs.ridgeMargin())
                  .put("homeWinProbability", outputs.ridgeProbability()))
              .put("xgb_win", new JsonObject().put("homeWinProbability", outputs.xgbProbability()))
              .put("mlp_win", new JsonObject().put("homeWinProbability", outputs.mlpProbability())));
    }

    if (spread != null) {
      JsonObject market = new JsonObject().put("spread", spread).put("impliedMargin", -spread);
      if (outputs != null) {
        // Positive edge: we rate the home team higher than the market does, by this many points.
        market.put("edge", outputs.ensembleMargin() + spread);
      }
      json.put("market", market);
    }
    return json;
  }
}
