package io.scriptohio.gateway.features;

import io.scriptohio.gateway.cfbd.CfbdDataSource;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the training table: one CSV row per completed game with the features of
 * {@link FeatureSchema}, built by the same replay that serves predictions, plus the outcome and the
 * market spread (for baselines only, never a feature).
 *
 * <p>Columns: {@code game_id, season, week, season_type, start_date, home_team, away_team}, every
 * feature in schema order, {@code margin} (home minus away points), {@code home_win} (1 or 0) and
 * {@code spread} (home team's view, negative when the home team is favoured). An empty cell is a
 * missing value. A game is skipped when it has no final score or when CFBD has no advanced
 * statistics of the game for one of its teams. The {@code export-features} command of the gateway
 * runs this export through its CFBD client and cache.
 */
public final class FeatureExport {

  /** Columns before the features. */
  public static final List<String> LEADING_COLUMNS =
      List.of("game_id", "season", "week", "season_type", "start_date", "home_team", "away_team");

  /** Columns after the features. */
  public static final List<String> TRAILING_COLUMNS = List.of("margin", "home_win", "spread");

  /** Skip reason of a game without a final score. */
  public static final String SKIP_NOT_COMPLETED = "not completed";

  /** Skip reason of a game without advanced statistics of both teams. */
  public static final String SKIP_NO_STATS = "no advanced statistics for both teams";

  /**
   * Outcome of an export.
   *
   * @param written rows written, one per game
   * @param skipped skipped games per reason
   * @param upstreamCalls fetches made through the data source
   */
  public record ExportReport(Path out, int written, Map<String, Integer> skipped, int upstreamCalls) {

    /** Returns the summary lines that the command prints. */
    public List<String> summary() {
      List<String> lines = new ArrayList<>();
      lines.add("games written: " + written + " to " + out);
      skipped.forEach((reason, count) -> lines.add("games skipped (" + reason + "): " + count));
      lines.add("upstream calls: " + upstreamCalls);
      return lines;
    }
  }

  private FeatureExport() {
  }

  /**
   * Exports the seasons {@code from} to {@code to} to a CSV file.
   *
   * @param source where CFBD records come from; every fetch counts as one upstream call
   * @return the report; the future fails when a fetch fails or the file cannot be written
   */
  public static Future<ExportReport> export(Vertx vertx, CfbdDataSource source, int from, int to, Path out) {
    AtomicInteger calls = new AtomicInteger();
    CfbdDataSource counting = request -> {
      calls.incrementAndGet();
      return source.fetch(request);
    };
    FeatureService service = new FeatureService(vertx, counting);

    List<Future<JsonArray>> lines = new ArrayList<>();
    for (int year = from; year <= to; year++) {
      for (String seasonType : List.of("regular", "postseason")) {
        lines.add(counting.fetch(CfbdRequest.of("lines", "year", Integer.toString(year), "seasonType", seasonType)));
      }
    }
    Future<FeatureInputs> inputs = service.inputs(from, to);

    return Future.all(inputs, Future.all(lines)).compose(all -> vertx.executeBlocking(() -> {
      Map<Long, Double> spreads = new HashMap<>();
      for (Future<JsonArray> response : lines) {
        spreads.putAll(MarketSpread.byGame(response.result()));
      }
      return write(inputs.result(), from, to, spreads, out, calls);
    }, false));
  }

  private static ExportReport write(FeatureInputs inputs, int from, int to, Map<Long, Double> spreads, Path out,
      AtomicInteger calls) throws IOException {
    Map<Long, GameFeatures> features =
        FeatureTimeline.build(inputs, game -> game.season() >= from && game.season() <= to);

    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    int written = 0;
    Map<String, Integer> skipped = new TreeMap<>();
    skipped.put(SKIP_NOT_COMPLETED, 0);
    skipped.put(SKIP_NO_STATS, 0);
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      writer.write(String.join(",", header()));
      writer.newLine();
      for (GameFeatures game : features.values()) {
        if (!game.completed()) {
          skipped.merge(SKIP_NOT_COMPLETED, 1, Integer::sum);
          continue;
        }
        if (!inputs.hasStatsForBoth(inputs.game(game.gameId()))) {
          skipped.merge(SKIP_NO_STATS, 1, Integer::sum);
          continue;
        }
        writer.write(row(game, spreads.get(game.gameId())));
        writer.newLine();
        written++;
      }
    }
    return new ExportReport(out, written, skipped, calls.get());
  }

  /** Returns the CSV header: leading columns, feature names in schema order, trailing columns. */
  public static List<String> header() {
    List<String> header = new ArrayList<>(LEADING_COLUMNS);
    header.addAll(FeatureSchema.NAMES);
    header.addAll(TRAILING_COLUMNS);
    return header;
  }

  private static String row(GameFeatures game, Double spread) {
    List<String> cells = new ArrayList<>(Arrays.asList(
        Long.toString(game.gameId()),
        Integer.toString(game.season()),
        Integer.toString(game.week()),
        game.seasonType(),
        game.kickoff() == null ? "" : game.kickoff().toString(),
        quote(game.homeTeam()),
        quote(game.awayTeam())));
    for (float value : game.values()) {
      cells.add(Float.isNaN(value) ? "" : Float.toString(value));
    }
    int margin = game.homePoints() - game.awayPoints();
    cells.add(Integer.toString(margin));
    cells.add(margin > 0 ? "1" : "0");
    cells.add(spread == null ? "" : spread.toString());
    return String.join(",", cells);
  }

  private static String quote(String text) {
    if (text.indexOf(',') < 0 && text.indexOf('"') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
