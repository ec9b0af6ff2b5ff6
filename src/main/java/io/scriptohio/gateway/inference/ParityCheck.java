package io.scriptohio.gateway.inference;

import ai.onnxruntime.OrtException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the rows recorded in {@code golden.json} (features and the outputs Python's ONNX Runtime
 * computed at export) through the loaded models and compares the outputs. A model that loads but
 * computes something else, because of a wrong file or a different runtime, fails here before the
 * gateway reports itself ready. Blocks: call it on a worker thread.
 */
public final class ParityCheck {

  /** File of recorded rows inside the models folder. */
  public static final String GOLDEN_FILE = "golden.json";
  /** Largest difference allowed for a probability. */
  public static final double PROBABILITY_TOLERANCE = 1e-5;
  /**
   * Largest difference allowed for a margin in points. ORT may sum a row in another order when it
   * shares a run with other rows, which moves a margin of 50 points by a few float32 ulps.
   */
  public static final double MARGIN_TOLERANCE = 1e-4;

  /**
   * Outcome of the check.
   *
   * @param passed whether every row agreed within the tolerances
   * @param rows rows compared
   * @param detail what disagreed or failed, or a summary when it passed
   */
  public record Result(boolean passed, int rows, String detail) {
  }

  private ParityCheck() {
  }

  /** Compares the models with the rows of {@code GOLDEN_FILE} in {@code modelsFolder}. */
  public static Result run(OnnxModels models, Path modelsFolder) {
    Path file = modelsFolder.resolve(GOLDEN_FILE);
    JsonArray rows;
    try {
      rows = new JsonObject(Files.readString(file)).getJsonArray("rows");
    } catch (IOException | RuntimeException e) {
      return new Result(false, 0, "cannot read " + file + ": " + e.getMessage());
    }
    if (rows == null || rows.isEmpty()) {
      return new Result(false, 0, file + " contains no rows");
    }

    float[][] features = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      features[i] = features(rows.getJsonObject(i).getJsonArray("features"));
    }
    List<ModelOutputs> outputs;
    try {
      outputs = models.predict(features);
    } catch (OrtException | RuntimeException e) {
      return new Result(false, rows.size(), "running the recorded rows failed: " + e.getMessage());
    }

    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      String mismatch = mismatch(outputs.get(i), row.getJsonObject("outputs"));
      if (mismatch != null) {
        return new Result(false, rows.size(), "game " + row.getLong("gameId") + ": " + mismatch);
      }
    }
    return new Result(true, rows.size(), rows.size() + " recorded rows agree");
  }

  private static float[] features(JsonArray values) {
    float[] features = new float[values.size()];
    for (int j = 0; j < features.length; j++) {
      Object value = values.getValue(j);
      features[j] = value == null ? Float.NaN : ((Number) value).floatValue();
    }
    return features;
  }

  private static String mismatch(ModelOutputs actual, JsonObject expected) {
    String ridge = compare("ridge_margin", actual.ridgeMargin(),
        expected.getDouble("ridge_margin"), MARGIN_TOLERANCE);
    String xgb = compare("xgb_win", actual.xgbProbability(), expected.getDouble("xgb_win"),
        PROBABILITY_TOLERANCE);
    String mlp = compare("mlp_win", actual.mlpProbability(), expected.getDouble("mlp_win"),
        PROBABILITY_TOLERANCE);
    String ensemble = compare("ensembleProbability", actual.ensembleProbability(),
        expected.getDouble("ensembleProbability"), PROBABILITY_TOLERANCE);
    for (String problem : new String[] {ridge, xgb, mlp, ensemble}) {
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String compare(String name, double actual, Double expected, double tolerance) {
    if (expected == null) {
      return name + " is missing from the recorded outputs";
    }
    if (!(Math.abs(actual - expected) <= tolerance)) {
      return name + " is " + actual + ", recorded " + expected + " (tolerance " + tolerance + ")";
    }
    return null;
  }
}
