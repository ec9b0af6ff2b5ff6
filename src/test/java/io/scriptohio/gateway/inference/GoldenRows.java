package io.scriptohio.gateway.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The committed models and the outputs Python's ONNX Runtime recorded for them. */
final class GoldenRows {

  /** Models folder of the repository; tests run from the project root. */
  static final Path MODELS = Paths.get("models-onnx").toAbsolutePath();

  /** One recorded row: its raw features and the outputs in {@code golden.json}. */
  record Row(long gameId, float[] features, JsonObject outputs) {
  }

  private GoldenRows() {
  }

  static List<Row> read() {
    JsonObject golden;
    try {
      golden = new JsonObject(Files.readString(MODELS.resolve("golden.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Row> rows = new ArrayList<>();
    JsonArray array = golden.getJsonArray("rows");
    for (int i = 0; i < array.size(); i++) {
      JsonObject row = array.getJsonObject(i);
      JsonArray values = row.getJsonArray("features");
      float[] features = new float[values.size()];
      for (int j = 0; j < features.length; j++) {
        Object value = values.getValue(j);
        features[j] = value == null ? Float.NaN : ((Number) value).floatValue();
      }
      rows.add(new Row(row.getLong("gameId"), features, row.getJsonObject("outputs")));
    }
    return rows;
  }

  /**
   * Checks that two outputs agree within float32 rounding. ORT may sum a row in another order
   * when it shares a run with other rows, which moves a margin of 50 points by a few ulps
   * (about 1e-5), so margins get 1e-4 points and probabilities 1e-5.
   */
  static void assertSameOutputs(ModelOutputs actual, ModelOutputs expected, String label) {
    double tolerance = 1e-5;
    double marginTolerance = 1e-4;
    assertThat(actual.ridgeMargin()).as(label + " ridge margin")
        .isCloseTo(expected.ridgeMargin(), within(marginTolerance));
    assertThat(actual.ridgeProbability()).as(label + " ridge probability")
        .isCloseTo(expected.ridgeProbability(), within(tolerance));
    assertThat(actual.xgbProbability()).as(label + " xgb")
        .isCloseTo(expected.xgbProbability(), within(tolerance));
    assertThat(actual.mlpProbability()).as(label + " mlp")
        .isCloseTo(expected.mlpProbability(), within(tolerance));
    assertThat(actual.ensembleProbability()).as(label + " ensemble probability")
        .isCloseTo(expected.ensembleProbability(), within(tolerance));
    assertThat(actual.ensembleMargin()).as(label + " ensemble margin")
        .isCloseTo(expected.ensembleMargin(), within(marginTolerance));
  }

  static float[][] features(List<Row> rows) {
    float[][] features = new float[rows.size()][];
    for (int i = 0; i < features.length; i++) {
      features[i] = rows.get(i).features().clone();
    }
    return features;
  }

  /** Copies the models folder, so a test can damage the copy. */
  static Path copyModels(Path target) throws IOException {
    try (var files = Files.list(MODELS)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file)) {
          Files.copy(file, target.resolve(file.getFileName()));
        }
      }
    }
    return target;
  }
}
