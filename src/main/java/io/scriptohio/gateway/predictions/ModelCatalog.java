package io.scriptohio.gateway.predictions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Model facts that the predictions API gives clients: the manifest as trained, the versions
 * that go into cache keys, and the market mapping used to score the betting line.
 *
 * @param manifest {@code manifest.json} as written by the training code
 * @param marketIntercept intercept of the logistic mapping from market margin (−spread) to a home
 *     win probability, fitted on the training seasons
 * @param marketSlope slope of that mapping, per point
 * @param states current load state of each model, as a JSON array
 */
public record ModelCatalog(JsonObject manifest, double marketIntercept, double marketSlope,
    Supplier<JsonArray> states) {

  /**
   * Reads {@code manifest.json} and {@code metrics.json} from the models folder. Blocking: call off
   * the event loop.
   */
  public static ModelCatalog read(Path modelsFolder, Supplier<JsonArray> states) {
    JsonObject manifest = readJson(modelsFolder.resolve("manifest.json"));
    JsonObject market = readJson(modelsFolder.resolve("metrics.json"))
        .getJsonObject("baselines", new JsonObject())
        .getJsonObject("market", new JsonObject());
    return new ModelCatalog(manifest, market.getDouble("intercept", 0.0),
        market.getDouble("slope", 0.0), states);
  }

  /** Returns the ensemble version, which changes whenever any model file changes. */
  public String version() {
    return manifest.getJsonObject("ensemble").getString("version");
  }

  /** Returns {@code {model name: version}} for responses. */
  public JsonObject modelVersions() {
    JsonObject versions = new JsonObject();
    for (Object model : manifest.getJsonArray("models")) {
      JsonObject spec = (JsonObject) model;
      versions.put(spec.getString("name"), spec.getString("version"));
    }
    return versions.put("ensemble", version());
  }

  /** Returns the seasons the models were trained on, where evaluations are in-sample. */
  public List<Integer> trainingSeasons() {
    JsonArray seasons = manifest.getJsonArray("models").getJsonObject(0)
        .getJsonArray("trainingSeasons", new JsonArray());
    return seasons.stream().map(season -> ((Number) season).intValue()).toList();
  }

  /** Returns the ensemble weights by model name. */
  public JsonObject weights() {
    return manifest.getJsonObject("ensemble").getJsonObject("weights");
  }

  /** Returns the market's home-win probability for a spread (negative = home favoured). */
  public double marketProbability(double spread) {
    return 1.0 / (1.0 + Math.exp(-(marketIntercept + marketSlope * -spread)));
  }

  private static JsonObject readJson(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
