package io.scriptohio.gateway.features;

import io.vertx.core.json.JsonObject;

/**
 * Per-game advanced statistics from CFBD {@code /stats/game/advanced} that feed the team
 * season-to-date averages. Each metric is read from both the {@code offense} and the
 * {@code defense} object of a team's game record.
 */
enum AdvancedMetric {

  PPA("ppa", "ppa"),
  SUCCESS_RATE("success_rate", "successRate"),
  EXPLOSIVENESS("explosiveness", "explosiveness"),
  LINE_YARDS("line_yards", "lineYards"),
  SECOND_LEVEL_YARDS("second_level_yards", "secondLevelYards"),
  OPEN_FIELD_YARDS("open_field_yards", "openFieldYards"),
  POWER_SUCCESS("power_success", "powerSuccess"),
  STUFF_RATE("stuff_rate", "stuffRate"),
  PASSING_DOWNS_PPA("passing_downs_ppa", "passingDowns", "ppa"),
  RUSHING_PPA("rushing_ppa", "rushingPlays", "ppa"),
  PASSING_PPA("passing_ppa", "passingPlays", "ppa");

  /** Number of metrics, the length of the arrays that hold one value per metric. */
  static final int COUNT = values().length;

  private final String featureName;
  private final String[] path;

  AdvancedMetric(String featureName, String... path) {
    this.featureName = featureName;
    this.path = path;
  }

  /** Returns the snake_case name used inside feature names, e.g. {@code success_rate}. */
  String featureName() {
    return featureName;
  }

  /**
   * Returns the starter-pack CSV column of this metric for one side: the API path joined with
   * {@code _}, e.g. {@code offense_passingDowns_ppa}.
   */
  String csvColumn(String side) {
    return side + "_" + String.join("_", path);
  }

  /** Returns the value for one side ({@code offense} or {@code defense}), or NaN when absent. */
  double read(JsonObject record, String side) {
    Object node = record.getValue(side);
    for (String key : path) {
      if (!(node instanceof JsonObject)) {
        return Double.NaN;
      }
      node = ((JsonObject) node).getValue(key);
    }
    return node instanceof Number ? ((Number) node).doubleValue() : Double.NaN;
  }
}
