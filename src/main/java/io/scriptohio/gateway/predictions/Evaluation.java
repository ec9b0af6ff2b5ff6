package io.scriptohio.gateway.predictions;

import io.vertx.core.json.JsonObject;

/**
 * Scores the gateway's own predictions against final results, model by model, and the betting
 * market on the same games. Only completed games with a prediction count; the market is scored on
 * those of them that have a spread.
 */
final class Evaluation {

  private final ModelCatalog models;
  private final Metrics ensemble = new Metrics();
  private final Metrics ridge = new Metrics();
  private final Metrics xgb = new Metrics();
  private final Metrics mlp = new Metrics();
  private final Metrics market = new Metrics();
  private int completed;
  private int withoutPrediction;

  Evaluation(ModelCatalog models) {
    this.models = models;
  }

  /** Adds one game of a week response. */
  void add(JsonObject game) {
    JsonObject result = game.getJsonObject("result");
    if (!game.getBoolean("completed", false) || result == null) {
      return;
    }
    completed++;
    if (!"predicted".equals(game.getString("status"))) {
      withoutPrediction++;
      return;
    }

    int actual = result.getInteger("margin");
    JsonObject outputs = game.getJsonObject("models");
    ensemble.add(game.getDouble("homeWinProbability"), game.getDouble("predictedMargin"), actual);
    JsonObject ridgeOutput = outputs.getJsonObject("ridge_margin");
    ridge.add(ridgeOutput.getDouble("homeWinProbability"), ridgeOutput.getDouble("margin"), actual);
    xgb.add(outputs.getJsonObject("xgb_win").getDouble("homeWinProbability"), null, actual);
    mlp.add(outputs.getJsonObject("mlp_win").getDouble("homeWinProbability"), null, actual);

    JsonObject line = game.getJsonObject("market");
    if (line != null) {
      double spread = line.getDouble("spread");
      market.add(models.marketProbability(spread), -spread, actual, spread < 0);
    }
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("completedGames", completed)
        .put("gamesWithoutPrediction", withoutPrediction)
        .put("models", new JsonObject()
            .put("ensemble", ensemble.toJson())
            .put("ridge_margin", ridge.toJson())
            .put("xgb_win", xgb.toJson())
            .put("mlp_win", mlp.toJson()))
        .put("market", market.toJson()
            .put("probabilityMapping", new JsonObject()
                .put("intercept", models.marketIntercept())
                .put("slope", models.marketSlope())
                .put("formula", "p = 1 / (1 + exp(-(intercept + slope * -spread)))")));
  }
}
