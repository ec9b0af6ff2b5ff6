package io.scriptohio.gateway;

import io.scriptohio.gateway.cache.CachedDataSource;
import io.scriptohio.gateway.config.ConfigException;
import io.scriptohio.gateway.config.ConfigLoader;
import io.scriptohio.gateway.config.GatewayConfig;
import io.scriptohio.gateway.features.FeatureExport;
import io.scriptohio.gateway.features.FeatureService;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code export-features} command: writes the training table through the gateway's own CFBD
 * client and cache, so that it works against CFBD with a key and offline against stored
 * responses alike, and spends quota the way the gateway does.
 */
final class ExportFeaturesCommand {

  static final String USAGE = "usage: export-features --from YEAR --to YEAR --out FILE [--data DIR]\n"
      + "  --from, --to  first and last season to export (from " + FeatureService.FIRST_STATS_SEASON
      + ")\n"
      + "  --out         CSV file to write; parent folders are created\n"
      + "  --data        folder of stored CFBD responses; sets MOCK_DATA_PATH for this run\n"
      + "Other settings come from conf/application.yaml and the environment, as for serve.";

  private ExportFeaturesCommand() {
  }

  /**
   * Runs the export. Blocks the calling thread, which must not be a Vert.x thread.
   *
   * @return the exit code: 0 success, 1 export failed, 2 invalid arguments or configuration
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = parseOptions(args);
    if (options == null) {
      err.println(USAGE);
      return Main.EXIT_USAGE;
    }
    int from;
    int to;
    try {
      from = Integer.parseInt(options.getOrDefault("from", ""));
      to = Integer.parseInt(options.getOrDefault("to", ""));
    } catch (NumberFormatException e) {
      err.println("--from and --to must be years, got '" + options.get("from") + "' and '"
          + options.get("to") + "'\n" + USAGE);
      return Main.EXIT_USAGE;
    }
    if (from < FeatureService.FIRST_STATS_SEASON || to < from || !options.containsKey("out")) {
      err.println("--from must be " + FeatureService.FIRST_STATS_SEASON + " or later, --to at "
          + "least --from, and --out is required\n" + USAGE);
      return Main.EXIT_USAGE;
    }

    Map<String, String> overrides = new HashMap<>();
    if (options.containsKey("data")) {
      overrides.put("MOCK_DATA_PATH", options.get("data"));
    }
    Path configFile = Paths.get(System.getProperty("config.file", ConfigLoader.DEFAULT_CONFIG_FILE));
    Vertx vertx = Vertx.vertx();
    try {
      GatewayConfig config = ConfigLoader.load(vertx, configFile, overrides).await();
      Main.setLogLevel(config.logLevel());
      vertx.deployVerticle(GatewayVerticle.withoutServers(config)).await();
      CachedDataSource source = new CachedDataSource(vertx, config.http().requestTimeout());
      FeatureExport.ExportReport report =
          FeatureExport.export(vertx, source, from, to, Paths.get(options.get("out"))).await();
      report.summary().forEach(out::println);
      out.println("CFBD responses not served from the cache: " + source.missCount());
      return 0;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Main.EXIT_USAGE;
    } catch (RuntimeException e) {
      err.println("feature export failed: " + e.getMessage());
      return Main.EXIT_FAILURE;
    } finally {
      vertx.close().await();
    }
  }

  /** Returns {@code --name value} pairs, or null when the arguments are not such pairs. */
  private static Map<String, String> parseOptions(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        return null;
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
