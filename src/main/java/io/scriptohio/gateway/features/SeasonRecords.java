package io.scriptohio.gateway.features;

import io.vertx.core.json.JsonArray;

/**
 * CFBD responses of one season that feature building needs.
 *
 * @param games {@code /games} items of the regular season and the postseason
 * @param advancedStats {@code /stats/game/advanced} items, null when not fetched
 * @param talent {@code /talent} items, null when not fetched
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

  /** Returns these records completed with the statistics and talent of {@code other} where these lack them. */
  SeasonRecords merge(SeasonRecords other) {
    return new SeasonRecords(year, games,
        advancedStats != null ? advancedStats : other.advancedStats,
        talent != null ? talent : other.talent);
  }

  /** Adds these records to the inputs. */
  void addTo(FeatureInputs inputs) {
    inputs.addGames(games);
    if (advancedStats != null) {
      inputs.addAdvancedStats(advancedStats);
    }
    if (talent != null) {
      inputs.addTalent(year, talent);
    }
  }
}
