package io.scriptohio.gateway.features;

import io.scriptohio.gateway.cfbd.CfbdDataSource;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.scriptohio.gateway.cfbd.SnapshotDataSource;
import io.scriptohio.gateway.cfbd.SnapshotStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 * statistics of the game for one of its teams.
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

  private static final String USAGE =
      "usage: export-features --from YEAR --to YEAR --out FILE --data DIR\n"
          + "  --from, --to  first and last season to export (from " + FeatureService.FIRST_STATS_SEASON + ")\n"
          + "  --out         CSV file to write; parent folders are created\n"
          + "  --data        folder of stored CFBD responses (default: MOCK_DATA_PATH)";

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
   * Runs the {@code export-features} command over stored CFBD responses. Blocks the calling thread,
   * so it must not run on a Vert.x thread.
   *
   * @param args the command's arguments, without the command name
   * @return the process exit code: 0 on success, 2 for invalid arguments, 1 when the export failed
   */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        err.println("invalid argument '" + args[i] + "'\n" + USAGE);
        return 2;
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    String data = options.getOrDefault("data", System.getenv("MOCK_DATA_PATH"));
    int from;
    int to;
    try {
      from = Integer.parseInt(options.getOrDefault("from", ""));
      to = Integer.parseInt(options.getOrDefault("to", ""));
    } catch (NumberFormatException e) {
      err.println("--from and --to must be years\n" + USAGE);
      return 2;
    }
    if (from < FeatureService.FIRST_STATS_SEASON || to < from || !options.containsKey("out") || data == null) {
      err.println("missing or invalid --from, --to, --out or --data\n" + USAGE);
      return 2;
    }

    Vertx vertx = Vertx.vertx();
    try {
      CfbdDataSource source = new SnapshotDataSource(vertx, SnapshotStore.open(Paths.get(data)));
      ExportReport report = export(vertx, source, from, to, Paths.get(options.get("out"))).await();
      report.summary().forEach(out::println);
      return 0;
    } catch (RuntimeException e) {
      err.println("feature export failed: " + e.getMessage());
      return 1;
    } finally {
      vertx.close().await();
    }
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

  /** Market spread per game from {@code /lines} items. */
  static final class MarketSpread {

    private MarketSpread() {
    }

    /**
     * Returns the spread of each game that has one: the {@code consensus} provider's when present,
     * else the median of the other providers' spreads.
     */
    static Map<Long, Double> byGame(JsonArray items) {
      Map<Long, Double> spreads = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.getJsonObject(i);
        Double spread = spread(item.getJsonArray("lines", new JsonArray()));
        if (spread != null) {
          spreads.put(item.getLong("id"), spread);
        }
      }
      return spreads;
    }

    static Double spread(JsonArray lines) {
      List<Double> books = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        JsonObject line = lines.getJsonObject(i);
        Number spread = line.getNumber("spread");
        if (spread == null) {
          continue;
        }
        if ("consensus".equals(line.getString("provider"))) {
          return spread.doubleValue();
        }
        books.add(spread.doubleValue());
      }
      if (books.isEmpty()) {
        return null;
      }
      books.sort(Double::compare);
      int middle = books.size() / 2;
      return books.size() % 2 == 1 ? books.get(middle) : (books.get(middle - 1) + books.get(middle)) / 2;
    }
  }
}
