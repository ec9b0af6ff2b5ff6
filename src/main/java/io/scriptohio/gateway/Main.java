package io.scriptohio.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.scriptohio.gateway.config.ConfigException;
import io.scriptohio.gateway.config.ConfigLoader;
import io.scriptohio.gateway.config.GatewayConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point of the gateway jar.
 *
 * <pre>
 *   java -jar script-ohio-gateway.jar [serve]         start the gateway
 *   java -jar script-ohio-gateway.jar export-features --from Y --to Y --out FILE [--data DIR]
 *   java -jar script-ohio-gateway.jar snapshot verify DIR | snapshot restore DIR TARGET
 * </pre>
 * Exit codes: 0 success, 1 runtime failure, 2 invalid configuration or usage.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;
  /** Name of the Micrometer registry that Vert.x and the gateway share. */
  public static final String METRICS_REGISTRY = "script-ohio";
  /** Bound on closing Vert.x after the shutdown, so that a stuck close cannot hang the JVM exit. */
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private Main() {
  }

  public static void main(String[] args) {
    String command = args.length == 0 ? "serve" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "serve":
        serve();
        break;
      case "export-features":
        System.exit(ExportFeaturesCommand.run(rest, System.out, System.err));
        break;
      case "snapshot":
        System.exit(SnapshotCommand.run(rest, System.out, System.err));
        break;
      default:
        System.err.println("Unknown command '" + command + "'. Commands: serve, export-features, snapshot");
        System.exit(EXIT_USAGE);
    }
  }

  /**
   * Returns the Vert.x metrics options: Prometheus with histogram buckets and bounded labels only
   * (route template, method, status code, event-bus address, pool), never the raw path.
   */
  /** HTTP methods counted under their own name in the server metrics. */
  private static final String STANDARD_METHODS = "GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|TRACE|CONNECT";

  public static MicrometerMetricsOptions metricsOptions(String registryName) {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(registryName)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE,
            Label.EB_ADDRESS, Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME))
        // Clients choose the request method, so any method outside the standard ones is counted
        // as OTHER; otherwise every invented method would add a few hundred series.
        .setLabelMatches(List.of(
            new Match().setDomain(MetricsDomain.HTTP_SERVER).setLabel(Label.HTTP_METHOD.toString())
                .setType(MatchType.REGEX).setValue(STANDARD_METHODS),
            new Match().setDomain(MetricsDomain.HTTP_SERVER).setLabel(Label.HTTP_METHOD.toString())
                .setType(MatchType.REGEX).setValue("(?!(" + STANDARD_METHODS + ")$).*")
                .setAlias("OTHER")))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)
            .setPublishQuantiles(true));
  }

  private static void serve() {
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metricsOptions(METRICS_REGISTRY)))
        .build();
    Path configFile = Paths.get(System.getProperty("config.file", ConfigLoader.DEFAULT_CONFIG_FILE));
    try {
      GatewayConfig config = ConfigLoader.load(vertx, configFile).await();
      setLogLevel(config.logLevel());
      GatewayVerticle gateway = new GatewayVerticle(config)
          .withMetrics((PrometheusMeterRegistry) BackendRegistries.getNow(METRICS_REGISTRY));
      vertx.deployVerticle(gateway).await();
      long shutdownBound = config.operations().shutdownGracePeriod().toSeconds()
          + config.operations().shutdownTimeout().toSeconds() + CLOSE_TIMEOUT_SECONDS;
      Runtime.getRuntime().addShutdownHook(new Thread(
          () -> shutDown(vertx, gateway, shutdownBound), "gateway-shutdown"));
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      closeQuietly(vertx);
      System.exit(EXIT_USAGE);
    } catch (Exception e) {
      // Future.await() rethrows checked exceptions too, such as a BindException for a busy port.
      // The message names what failed; the stack trace is for debugging only.
      LOG.error("Gateway failed to start: {}", e.getMessage());
      LOG.debug("Start-up failure", e);
      closeQuietly(vertx);
      System.exit(EXIT_FAILURE);
    }
  }

  static void setLogLevel(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
  }

  /** Runs the graceful shutdown on SIGTERM, with every wait bounded. */
  private static void shutDown(Vertx vertx, GatewayVerticle gateway, long boundSeconds) {
    try {
      gateway.shutdown().toCompletionStage().toCompletableFuture().get(boundSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Graceful shutdown did not finish within {} s: {}", boundSeconds, e.toString());
    }
    closeQuietly(vertx);
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      // Future.await() would wait forever if a close step hangs; the JVM must still exit.
      vertx.close().toCompletionStage().toCompletableFuture()
          .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("Vert.x closed");
    } catch (Exception e) {
      LOG.warn("Vert.x did not close within {} s: {}", CLOSE_TIMEOUT_SECONDS, e.toString());
    }
  }

}
