package io.scriptohio.gateway.inference;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parsed {@code manifest.json} of a models folder: feature order, one entry per model and the
 * ensemble rule.
 *
 * <p>Only the fields that serving needs are read; training metrics and hyper-parameters stay in
 * the file. Parsing checks that every field used later is present, so a truncated or hand-edited
 * manifest fails at start-up with the missing key instead of at the first prediction.
 *
 * @param features feature names in model input order
 * @param models the models in manifest order
 * @param ensemble how the model outputs combine into one probability
 */
public record ModelManifest(List<String> features, List<ModelSpec> models, Ensemble ensemble) {

  /** File name of the manifest inside the models folder. */
  public static final String FILE_NAME = "manifest.json";

  /** Name of the ridge regression that predicts the home margin in points. */
  public static final String RIDGE_MARGIN = "ridge_margin";

  /** Name of the XGBoost classifier of a home win. */
  public static final String XGB_WIN = "xgb_win";

  /** Name of the MLP classifier of a home win. */
  public static final String MLP_WIN = "mlp_win";

  /** Models the ensemble formula refers to by name; each must be in the manifest. */
  public static final List<String> REQUIRED_MODELS = List.of(RIDGE_MARGIN, XGB_WIN, MLP_WIN);

  public ModelManifest {
    features = List.copyOf(features);
    models = List.copyOf(models);
  }

  /**
   * One model file and how to call it.
   *
   * @param name model name, e.g. {@code ridge_margin}
   * @param file file name relative to the models folder
   * @param sha256 expected SHA-256 of the file, lowercase hex
   * @param version short version label reported to clients
   * @param inputName name of the single float32 {@code [N, features]} input
   * @param features feature names the model was trained on, in input order
   * @param outputNames names of the graph outputs, in manifest order
   */
  public record ModelSpec(String name, String file, String sha256, String version,
      String inputName, List<String> features, List<String> outputNames) {

    public ModelSpec {
      features = List.copyOf(features);
      outputNames = List.copyOf(outputNames);
    }
  }

  /**
   * The ensemble rule: {@code p = w_xgb * p_xgb + w_mlp * p_mlp + w_ridge * sigmoid(intercept +
   * slope * margin)}, and the ensemble margin is the ridge margin.
   *
   * @param weights weight per model name; the weights of {@link #REQUIRED_MODELS} are used
   * @param intercept intercept of the logistic margin-to-probability mapping
   * @param slope slope of that mapping, per point of margin
   * @param version ensemble version label reported to clients
   */
  public record Ensemble(Map<String, Double> weights, double intercept, double slope,
      String version) {

    public Ensemble {
      weights = Map.copyOf(weights);
    }

    /** Maps a predicted home margin in points to a home-win probability. */
    public double marginProbability(double margin) {
      return 1.0 / (1.0 + Math.exp(-(intercept + slope * margin)));
    }

    /** Combines the three model outputs into the ensemble home-win probability. */
    public double probability(double ridgeMargin, double xgbProbability, double mlpProbability) {
      return weights.get(XGB_WIN) * xgbProbability
          + weights.get(MLP_WIN) * mlpProbability
          + weights.get(RIDGE_MARGIN) * marginProbability(ridgeMargin);
    }
  }

  /** Returns the model called {@code name}, or throws when the manifest has none. */
  public ModelSpec model(String name) {
    for (ModelSpec model : models) {
      if (model.name().equals(name)) {
        return model;
      }
    }
    throw new IllegalStateException("the model manifest has no model named '" + name + "'");
  }

  /**
   * Reads and parses a manifest file. Blocking: call it on a worker thread.
   *
   * @throws IllegalStateException when the file cannot be read, is not JSON or lacks a field
   */
  public static ModelManifest read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the model manifest " + file + ": " + e, e);
    }
    try {
      return parse(new JsonObject(text));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException("the model manifest " + file + " is not valid: "
          + e.getMessage(), e);
    }
  }

  /**
   * Parses a manifest already decoded from JSON.
   *
   * @throws IllegalStateException naming the first missing field
   */
  public static ModelManifest parse(JsonObject json) {
    List<String> features = strings(
        required(json, "features", "manifest").getJsonArray("features"));

    List<ModelSpec> models = new ArrayList<>();
    JsonArray modelArray = required(json, "models", "manifest").getJsonArray("models");
    for (int i = 0; i < modelArray.size(); i++) {
      models.add(parseModel(modelArray.getJsonObject(i), "models[" + i + "]"));
    }

    JsonObject ensembleJson = required(json, "ensemble", "manifest").getJsonObject("ensemble");
    Ensemble ensemble = parseEnsemble(ensembleJson);

    ModelManifest manifest = new ModelManifest(features, models, ensemble);
    for (String name : REQUIRED_MODELS) {
      manifest.model(name);
      if (!ensemble.weights().containsKey(name)) {
        throw new IllegalStateException("the model manifest has no ensemble weight for '"
            + name + "'");
      }
    }
    return manifest;
  }

  private static ModelSpec parseModel(JsonObject json, String where) {
    List<String> outputNames = new ArrayList<>();
    JsonArray outputs = required(json, "outputs", where).getJsonArray("outputs");
    for (int i = 0; i < outputs.size(); i++) {
      JsonObject output = outputs.getJsonObject(i);
      outputNames.add(required(output, "name", where + ".outputs[" + i + "]").getString("name"));
    }
    return new ModelSpec(
        required(json, "name", where).getString("name"),
        required(json, "file", where).getString("file"),
        required(json, "sha256", where).getString("sha256").toLowerCase(Locale.ROOT),
        required(json, "version", where).getString("version"),
        required(json, "inputName", where).getString("inputName"),
        strings(required(json, "features", where).getJsonArray("features")),
        outputNames);
  }

  private static Ensemble parseEnsemble(JsonObject json) {
    JsonObject weightsJson = required(json, "weights", "ensemble").getJsonObject("weights");
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String name : weightsJson.fieldNames()) {
      weights.put(name, weightsJson.getDouble(name));
    }
    JsonObject mapping = required(json, "marginToProbability", "ensemble")
        .getJsonObject("marginToProbability");
    return new Ensemble(weights,
        required(mapping, "intercept", "ensemble.marginToProbability").getDouble("intercept"),
        required(mapping, "slope", "ensemble.marginToProbability").getDouble("slope"),
        required(json, "version", "ensemble").getString("version"));
  }

  private static JsonObject required(JsonObject json, String key, String where) {
    if (json == null || json.getValue(key) == null) {
      throw new IllegalStateException("the model manifest lacks '" + key + "' in " + where);
    }
    return json;
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      values.add(array.getString(i));
    }
    return values;
  }
}
