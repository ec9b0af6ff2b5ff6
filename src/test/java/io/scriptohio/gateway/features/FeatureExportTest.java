package io.scriptohio.gateway.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptohio.gateway.cfbd.CfbdDataSource;
import io.scriptohio.gateway.cfbd.SnapshotDataSource;
import io.scriptohio.gateway.cfbd.SnapshotStore;
import io.scriptohio.gateway.support.DataPack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class FeatureExportTest {

  @Test
  void export_2016To2025FromPack(Vertx vertx, @TempDir Path folder) throws Exception {
    Path out = folder.resolve("features.csv");
    CfbdDataSource source = new SnapshotDataSource(vertx, SnapshotStore.open(DataPack.cfbd()));

    long started = System.nanoTime();
    // The test thread is not a Vert.x thread, so it may wait for the export.
    FeatureExport.ExportReport report = FeatureExport.export(vertx, source, 2016, 2025, out).await();
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(seconds).as("export time in seconds").isLessThan(180);

    // Independent count: completed games of 2016-2025 with statistics of both teams, and the rest.
    FeatureInputs pack = PackInputs.load(2016, 2025);
    int expectedRows = 0;
    int notCompleted = 0;
    int noStats = 0;
    for (GameRecord game : pack.games()) {
      if (!game.hasResult()) {
        notCompleted++;
      } else if (pack.hasStatsForBoth(game)) {
        expectedRows++;
      } else {
        noStats++;
      }
    }
    assertThat(notCompleted).isEqualTo(64);

    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0).split(",")).containsExactlyElementsOf(FeatureExport.header());
    assertThat(lines).hasSize(expectedRows + 1);

    assertThat(report.written()).isEqualTo(expectedRows);
    assertThat(report.skipped()).containsExactlyInAnyOrderEntriesOf(Map.of(
        FeatureExport.SKIP_NOT_COMPLETED, notCompleted,
        FeatureExport.SKIP_NO_STATS, noStats));
    // 12 seasons of games (2 calls each), 10 of statistics (2 each), 10 of talent and 10 of lines (2 each).
    assertThat(report.upstreamCalls()).isEqualTo(24 + 20 + 10 + 20);
    assertThat(report.summary()).contains(
        "games written: " + expectedRows + " to " + out,
        "games skipped (" + FeatureExport.SKIP_NOT_COMPLETED + "): " + notCompleted,
        "games skipped (" + FeatureExport.SKIP_NO_STATS + "): " + noStats,
        "upstream calls: 74");

    Map<String, String> wakeForest = row(lines, "401754531");
    assertThat(wakeForest.get("home_team")).isEqualTo("Wake Forest");
    assertThat(wakeForest.get("margin")).isEqualTo("-10");
    assertThat(wakeForest.get("home_win")).isEqualTo("0");
    // DraftKings 7.5, ESPN Bet 7.5, Bovada 7: no consensus provider in 2025, so the median.
    assertThat(wakeForest.get("spread")).isEqualTo("7.5");
    assertThat(wakeForest.get("neutral_site")).isEqualTo("0.0");
    assertThat(wakeForest.get("elo_diff")).isNotEmpty();
  }

  @Test
  void spread_consensusElseMedian() {
    JsonArray withConsensus = new JsonArray()
        .add(new JsonObject().put("provider", "Bovada").put("spread", -3.0))
        .add(new JsonObject().put("provider", "consensus").put("spread", -2.5))
        .add(new JsonObject().put("provider", "numberfire").put("spread", -7.0));
    JsonArray books = new JsonArray()
        .add(new JsonObject().put("provider", "Bovada").put("spread", -3.0))
        .add(new JsonObject().put("provider", "DraftKings").put("spread", -4.0))
        .add(new JsonObject().put("provider", "ESPN Bet").putNull("spread"))
        .add(new JsonObject().put("provider", "Caesars").put("spread", -6.0))
        .add(new JsonObject().put("provider", "teamrankings").put("spread", -3.5));

    assertThat(MarketSpread.spread(withConsensus)).isEqualTo(-2.5);
    assertThat(MarketSpread.spread(books)).isEqualTo(-3.75);
    assertThat(MarketSpread.spread(new JsonArray())).isNull();
  }

  private static Map<String, String> row(List<String> lines, String gameId) {
    String[] header = lines.get(0).split(",", -1);
    for (String line : lines) {
      String[] cells = line.split(",", -1);
      if (cells[0].equals(gameId)) {
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], cells[i]);
        }
        return row;
      }
    }
    throw new AssertionError("game " + gameId + " not in the export");
  }
}
