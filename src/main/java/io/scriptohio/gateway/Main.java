package io.scriptohio.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.scriptohio.gateway.config.ConfigException;
import io.scriptohio.gateway.config.ConfigLoader;
import io.scriptohio.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point of the gateway jar.
 *
 * <pre>
 *   java -jar script-ohio-gateway.jar [serve]         start the gateway
 *   java -jar script-ohio-gateway.jar export-features --from Y --to Y --out FILE [--data DIR]
 * </pre>
 * Exit codes: 0 success, 1 runtime failure, 2 invalid configuration or usage.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

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
      default:
        System.err.println("Unknown command '" + command + "'. Commands: serve, export-features");
        System.exit(EXIT_USAGE);
    }
  }

  private static void serve() {
    Vertx vertx = Vertx.vertx();
    Path configFile = Paths.get(System.getProperty("config.file", ConfigLoader.DEFAULT_CONFIG_FILE));
    try {
      GatewayConfig config = ConfigLoader.load(vertx, configFile).await();
      setLogLevel(config.logLevel());
      vertx.deployVerticle(new GatewayVerticle(config)).await();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx), "gateway-shutdown"));
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      closeQuietly(vertx);
      System.exit(EXIT_USAGE);
    } catch (RuntimeException e) {
      LOG.error("Gateway failed to start", e);
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

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await();
    } catch (RuntimeException e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
    }
  }

}
