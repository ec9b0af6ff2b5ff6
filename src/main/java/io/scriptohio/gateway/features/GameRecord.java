package io.scriptohio.gateway.features;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The fields of one CFBD {@code /games} item that the features use.
 *
 * @param kickoff kickoff from {@code startDate}, null when CFBD has none
 * @param order instant that places the game on the timeline: the kickoff, else a date derived
 *     from season, season type and week (only 2014 games lack a kickoff)
 * @param homeFbs whether the home team played as an FBS team in this game
 * @param awayFbs whether the away team played as an FBS team in this game
 */
record GameRecord(
    long id,
    int season,
    int week,
    String seasonType,
    Instant kickoff,
    Instant order,
    String homeTeam,
    String awayTeam,
    boolean homeFbs,
    boolean awayFbs,
    boolean neutral,
    boolean completed,
    Integer homePoints,
    Integer awayPoints) {

  /** Whether the game has a final score that later games may learn from. */
  boolean hasResult() {
    return completed && homePoints != null && awayPoints != null;
  }

  /** Parses a {@code /games} item. */
  static GameRecord fromJson(JsonObject game) {
    int season = game.getInteger("season");
    int week = game.getInteger("week", 0);
    String seasonType = game.getString("seasonType", "regular");
    String startDate = game.getString("startDate");
    Instant kickoff = startDate == null ? null : Instant.parse(startDate);
    return new GameRecord(
        game.getLong("id"),
        season,
        week,
        seasonType,
        kickoff,
        kickoff != null ? kickoff : syntheticOrder(season, seasonType, week),
        game.getString("homeTeam"),
        game.getString("awayTeam"),
        "fbs".equals(game.getString("homeClassification")),
        "fbs".equals(game.getString("awayClassification")),
        Boolean.TRUE.equals(game.getBoolean("neutralSite")),
        Boolean.TRUE.equals(game.getBoolean("completed")),
        game.getInteger("homePoints"),
        game.getInteger("awayPoints"));
  }

  /** Returns a copy without the final score, as the game looked before kickoff. */
  GameRecord asFixture() {
    return new GameRecord(id, season, week, seasonType, kickoff, order, homeTeam, awayTeam,
        homeFbs, awayFbs, neutral, false, null, null);
  }

  /**
   * Places a game without kickoff time on the season's timeline: regular-season week W on the
   * Saturday-like date 1 September + 7 (W - 1) days, postseason games on 1 January of the next year
   * after the last regular week. NOTE: only the 2014 games need this, and only their order matters.
   */
  private static Instant syntheticOrder(int season, String seasonType, int week) {
    LocalDate date = "postseason".equals(seasonType)
        ? LocalDate.of(season + 1, 1, 1).plusDays(week)
        : LocalDate.of(season, 9, 1).plusDays(7L * (week - 1));
    return date.atTime(12, 0).toInstant(ZoneOffset.UTC);
  }
}
