package io.scriptohio.gateway.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scriptohio.gateway.support.DataPack;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeasonToDateTest {

  /** One row of the starter-pack table: a team's statistics in one game. */
  private record CsvRow(long gameId, int week, String team, Map<String, Double> values) {
  }

  @ParameterizedTest
  @ValueSource(ints = {2017, 2020, 2024, 2025})
  void rawAverages_matchStarterPackCsv(int season) throws IOException {
    FeatureInputs inputs = PackInputs.load(season, season);
    Set<Long> postseason = inputs.games().stream()
        .filter(game -> "postseason".equals(game.seasonType()))
        .map(GameRecord::id)
        .collect(Collectors.toSet());
    // FCS-only games are not in /games (classification=fbs), so their rows cannot be placed in time.
    Set<Long> known = inputs.games().stream().map(GameRecord::id).collect(Collectors.toSet());
    List<CsvRow> rows = readCsv(season);

    List<GameRecord> targets = inputs.games().stream()
        .filter(game -> "regular".equals(game.seasonType()) && game.week() >= 2 && inputs.hasStatsForBoth(game))
        .sorted(Comparator.comparingLong(GameRecord::id))
        .collect(Collectors.toCollection(ArrayList::new));
    java.util.Collections.shuffle(targets, new Random(season));
    Set<Long> sampled = targets.stream().limit(30).map(GameRecord::id).collect(Collectors.toSet());

    int[] checked = {0};
    FeatureTimeline.build(inputs, game -> sampled.contains(game.id()), (game, stats) -> {
      for (String team : List.of(game.homeTeam(), game.awayTeam())) {
        List<CsvRow> earlier = rows.stream()
            .filter(row -> row.team().equals(team) && row.week() < game.week())
            .filter(row -> known.contains(row.gameId()) && !postseason.contains(row.gameId()))
            .toList();
        for (AdvancedMetric metric : AdvancedMetric.values()) {
          double offense = earlier.stream().mapToDouble(row -> row.values().get(metric.csvColumn("offense")))
              .average().orElse(Double.NaN);
          double defense = earlier.stream().mapToDouble(row -> row.values().get(metric.csvColumn("defense")))
              .average().orElse(Double.NaN);
          if (earlier.isEmpty()) {
            assertThat(stats.rawOffense(team, metric)).isNaN();
            continue;
          }
          assertThat(stats.rawOffense(team, metric)).as("%s offense %s before week %d", team, metric, game.week())
              .isCloseTo(offense, within(1e-9));
          assertThat(stats.rawDefense(team, metric)).as("%s defense %s before week %d", team, metric, game.week())
              .isCloseTo(defense, within(1e-9));
          checked[0]++;
        }
      }
    });
    assertThat(checked[0]).isGreaterThanOrEqualTo(40 * AdvancedMetric.COUNT);
  }

  private static List<CsvRow> readCsv(int season) throws IOException {
    List<String> lines = Files.readAllLines(DataPack.starterPack().resolve("advanced_game_stats/" + season + ".csv"));
    String[] header = lines.get(0).split(",", -1);
    Map<String, Integer> column = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      column.put(header[i], i);
    }
    List<CsvRow> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      Map<String, Double> values = new HashMap<>();
      for (AdvancedMetric metric : AdvancedMetric.values()) {
        for (String side : List.of("offense", "defense")) {
          values.put(metric.csvColumn(side), Double.parseDouble(cells[column.get(metric.csvColumn(side))]));
        }
      }
      rows.add(new CsvRow(Long.parseLong(cells[column.get("gameId")]), Integer.parseInt(cells[column.get("week")]),
          cells[column.get("team")], values));
    }
    return rows;
  }
}
