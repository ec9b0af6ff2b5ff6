package io.scriptohio.gateway.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the configuration: defaults from {@code conf/application.yaml}, then the environment on top.
 *
 * <p>The stores are declared here in that order because vertx-config's default order reads the
 * environment first and lets a config file override it, which is backwards for Kubernetes, where
 * the environment is how operators change a deployment. The environment store is limited to the
 * names in {@link Setting}, so unrelated variables never enter the configuration.
 */
public final class ConfigLoader {

  /** Default location of the YAML file, relative to the working directory. */
  public static final String DEFAULT_CONFIG_FILE = "conf/application.yaml";

  private ConfigLoader() {
  }

  /**
   * Loads and validates the configuration.
   *
   * @param configFile YAML file with defaults; a missing file means built-in defaults only
   * @return the validated configuration, or a failed future with a {@link ConfigException}
   */
  public static Future<GatewayConfig> load(Vertx vertx, Path configFile) {
    return load(vertx, configFile, Map.of());
  }

  /**
   * Loads and validates the configuration with {@code overrides} applied on top of the
   * environment, for command-line flags that stand for a setting (such as {@code --data}).
   *
   * @param overrides values by environment-variable name
   */
  public static Future<GatewayConfig> load(Vertx vertx, Path configFile,
      Map<String, String> overrides) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
    if (Files.isRegularFile(configFile)) {
      options.addStore(new ConfigStoreOptions()
          .setType("file")
          .setFormat("yaml")
          .setConfig(new JsonObject().put("path", configFile.toString())));
    }
    options.addStore(new ConfigStoreOptions()
        .setType("env")
        .setConfig(new JsonObject()
            .put("keys", new JsonArray(Setting.environmentNames()))
            .put("raw-data", true)));

    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(merged -> {
          overrides.forEach(merged::put);
          return overlayEnvironment(merged);
        })
        .map(GatewayConfig::from);
  }

  /**
   * Moves flat environment entries ({@code CFBD_TIMEOUT}) onto their nested YAML paths
   * ({@code cfbd.timeout}), replacing the file's value.
   */
  static JsonObject overlayEnvironment(JsonObject merged) {
    JsonObject nested = merged.copy();
    for (Setting setting : Setting.values()) {
      Object value = nested.remove(setting.name());
      if (value != null) {
        put(nested, setting.path(), value.toString());
      }
    }
    return nested;
  }

  /** Validates a configuration given as a file-shaped object plus environment variables. */
  public static GatewayConfig fromMaps(JsonObject file, Map<String, String> environment) {
    JsonObject merged = file.copy();
    environment.forEach((name, value) -> {
      if (Setting.environmentNames().contains(name)) {
        merged.put(name, value);
      }
    });
    return GatewayConfig.from(overlayEnvironment(merged));
  }

  private static void put(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
