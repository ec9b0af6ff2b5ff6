package io.scriptohio.gateway.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.scriptohio.gateway.features.FeatureSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelsTest {

  /** Parity tolerance against the outputs Python's ONNX Runtime 1.23.2 recorded. */
  private static final double TOLERANCE = 1e-5;

  private static OnnxModels models;

  @BeforeAll
  static void load() {
    models = OnnxModels.load(GoldenRows.MODELS);
  }

  @AfterAll
  static void close() {
    models.close();
  }

  @Test
  void predict_matchesPythonGolden() throws Exception {
    List<GoldenRows.Row> golden = GoldenRows.read();

    List<ModelOutputs> outputs = models.predict(GoldenRows.features(golden));

    assertThat(golden).hasSize(50);
    assertThat(outputs).hasSize(golden.size());
    for (int i = 0; i < golden.size(); i++) {
      JsonObject expected = golden.get(i).outputs();
      ModelOutputs actual = outputs.get(i);
      String game = "game " + golden.get(i).gameId();
      assertThat(actual.ridgeMargin()).as(game + " ridge")
          .isCloseTo(expected.getDouble("ridge_margin"), within(TOLERANCE));
      assertThat(actual.xgbProbability()).as(game + " xgb")
          .isCloseTo(expected.getDouble("xgb_win"), within(TOLERANCE));
      assertThat(actual.mlpProbability()).as(game + " mlp")
          .isCloseTo(expected.getDouble("mlp_win"), within(TOLERANCE));
      assertThat(actual.ensembleProbability()).as(game + " ensemble probability")
          .isCloseTo(expected.getDouble("ensembleProbability"), within(TOLERANCE));
      assertThat(actual.ensembleMargin()).as(game + " ensemble margin")
          .isCloseTo(expected.getDouble("ensembleMargin"), within(TOLERANCE));
    }
  }

  @Test
  void predict_singleRowsEqualBatch() throws Exception {
    float[][] rows = GoldenRows.features(GoldenRows.read());

    List<ModelOutputs> batch = models.predict(rows);

    for (int i = 0; i < rows.length; i++) {
      List<ModelOutputs> single = models.predict(new float[][] {rows[i]});
      assertThat(single).hasSize(1);
      GoldenRows.assertSameOutputs(single.get(0), batch.get(i), "row " + i);
    }
  }

  @Test
  void predict_ridgeProbabilityUsesManifestMapping() throws Exception {
    ModelOutputs output = models.predict(new float[][] {GoldenRows.read().get(0).features()})
        .get(0);
    double expected = 1 / (1 + Math.exp(-(0.006617571317911632
        + 0.10391993657437927 * output.ridgeMargin())));

    assertThat(output.ridgeProbability()).isCloseTo(expected, within(1e-12));
    assertThat(output.ensembleProbability()).isCloseTo(0.15 * output.xgbProbability()
        + 0.05 * output.mlpProbability() + 0.8 * expected, within(1e-12));
  }

  @Test
  void predict_higherEloDiffRaisesHomeWin() throws Exception {
    int home = FeatureSchema.indexOf(FeatureSchema.HOME_ELO);
    int away = FeatureSchema.indexOf(FeatureSchema.AWAY_ELO);
    int diff = FeatureSchema.indexOf(FeatureSchema.ELO_DIFF);

    for (GoldenRows.Row row : GoldenRows.read().subList(0, 10)) {
      float[] weaker = row.features().clone();
      float[] stronger = row.features().clone();
      weaker[home] -= 100;
      weaker[away] += 100;
      weaker[diff] -= 200;
      stronger[home] += 100;
      stronger[away] -= 100;
      stronger[diff] += 200;

      List<ModelOutputs> outputs = models.predict(new float[][] {weaker, row.features(), stronger});

      String game = "game " + row.gameId();
      assertThat(outputs.get(1).ensembleProbability()).as(game)
          .isGreaterThan(outputs.get(0).ensembleProbability());
      assertThat(outputs.get(2).ensembleProbability()).as(game)
          .isGreaterThan(outputs.get(1).ensembleProbability());
      assertThat(outputs.get(2).ridgeMargin()).as(game)
          .isGreaterThan(outputs.get(0).ridgeMargin());
    }
  }

  @Test
  void predict_missingValuesAccepted() throws Exception {
    float[] row = GoldenRows.read().get(0).features().clone();
    row[FeatureSchema.indexOf(FeatureSchema.TALENT_DIFF)] = Float.NaN;

    ModelOutputs output = models.predict(new float[][] {row}).get(0);

    assertThat(output.ensembleProbability()).isBetween(0.0, 1.0);
    assertThat(output.ridgeMargin()).isFinite();
  }

  @Test
  void states_listVersions() {
    assertThat(models.states()).containsExactly(
        new ModelState("ridge_margin", "42289eef371c", true),
        new ModelState("xgb_win", "60b8dbbf8f27", true),
        new ModelState("mlp_win", "86e7acbc8d23", true));
    assertThat(models.manifest().ensemble().version()).isEqualTo("42289eef-60b8dbbf-86e7acbc");
  }

  @Test
  void close_rejectsLaterPredictions(@TempDir Path folder) throws Exception {
    OnnxModels own = OnnxModels.load(GoldenRows.copyModels(folder));
    own.close();
    own.close();

    assertThat(own.ready()).isFalse();
    assertThat(own.states()).extracting(ModelState::loaded).containsOnly(false);
    assertThatThrownBy(() -> own.predict(new float[1][FeatureSchema.NAMES.size()]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void load_alteredModelByte(@TempDir Path folder) throws Exception {
    GoldenRows.copyModels(folder);
    Path file = folder.resolve("mlp_win.onnx");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);

    assertThatThrownBy(() -> OnnxModels.load(folder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mlp_win.onnx")
        .hasMessageContaining("86e7acbc8d2328aedbe1c62d5044bda160e9c7d301f3879240532aef04330be0")
        .hasMessageMatching("(?s).*has SHA-256 [0-9a-f]{64} but.*");
  }

  @Test
  void load_alteredManifestHash(@TempDir Path folder) throws Exception {
    GoldenRows.copyModels(folder);
    String wrong = "0".repeat(64);
    editManifest(folder, manifest -> model(manifest, "xgb_win").put("sha256", wrong));

    assertThatThrownBy(() -> OnnxModels.load(folder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("xgb_win.onnx")
        .hasMessageContaining(wrong)
        .hasMessageContaining("60b8dbbf8f278cef4a3eadc375f1b55ac064928a15971648d89a5aaf719add8c");
  }

  @Test
  void load_modelFeatureOrderDiffers(@TempDir Path folder) throws Exception {
    GoldenRows.copyModels(folder);
    editManifest(folder, manifest -> {
      JsonArray features = model(manifest, "xgb_win").getJsonArray("features");
      features.set(5, "away_elo");
      features.set(6, "home_elo");
    });

    assertThatThrownBy(() -> OnnxModels.load(folder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model 'xgb_win'")
        .hasMessageContaining("feature 5 is 'away_elo'")
        .hasMessageContaining("'home_elo'");
  }

  @Test
  void load_missingEnsembleWeight(@TempDir Path folder) throws Exception {
    GoldenRows.copyModels(folder);
    editManifest(folder, manifest ->
        manifest.getJsonObject("ensemble").getJsonObject("weights").remove("mlp_win"));

    assertThatThrownBy(() -> OnnxModels.load(folder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ensemble weight for 'mlp_win'");
  }

  private static JsonObject model(JsonObject manifest, String name) {
    JsonArray models = manifest.getJsonArray("models");
    for (int i = 0; i < models.size(); i++) {
      if (name.equals(models.getJsonObject(i).getString("name"))) {
        return models.getJsonObject(i);
      }
    }
    throw new AssertionError("no model " + name);
  }

  private static void editManifest(Path folder, java.util.function.Consumer<JsonObject> edit)
      throws Exception {
    Path file = folder.resolve(ModelManifest.FILE_NAME);
    JsonObject manifest = new JsonObject(Files.readString(file));
    edit.accept(manifest);
    Files.writeString(file, manifest.encodePrettily());
  }
}
