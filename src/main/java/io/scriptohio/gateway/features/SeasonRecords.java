package io.scriptohio.gateway.features;

import io.vertx.core.json.JsonArray;

/**
 * CFBD responses of one season that feature building needs.
 *
 * @param games {@code /games} items of the regular season and the postseason
 * @param advancedStats {@code /stats/game/advanced} items, empty before the first season with statistics
 * @param talent {@code /talent} items, empty when CFBD has none for the season
 */
record SeasonRecords(int year, JsonArray games, JsonArray advancedStats, JsonArray talent) {

  /** Returns whether every game has a final score and the postseason is in, so the season can no longer change. */
  boolean isFinished() {
    boolean postseason = false;
    for (int i = 0; i < games.size(); i++) {
      if (!Boolean.TRUE.equals(games.getJsonObject(i).getBoolean("completed"))) {
        return false;
      }
      postseason |= "postseason".equals(games.getJsonObject(i).getString("seasonType"));
    }
    return postseason;
  }

  /** Adds these records to the inputs; statistics and talent only when {@code withStats} is set. */
  void addTo(FeatureInputs inputs, boolean withStats) {
    inputs.addGames(games);
    if (withStats) {
      inputs.addAdvancedStats(advancedStats);
      inputs.addTalent(year, talent);
    }
  }
}
