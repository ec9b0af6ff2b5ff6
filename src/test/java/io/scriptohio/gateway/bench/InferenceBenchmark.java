package io.scriptohio.gateway.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import io.scriptohio.gateway.inference.ModelManifest;
import io.scriptohio.gateway.inference.ModelOutputs;
import io.scriptohio.gateway.inference.OnnxModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Inference time of one week of games: each model alone and the whole ensemble as the gateway
 * runs it.
 *
 * <p>The rows are the holdout rows of {@code golden.json} in the models folder, repeated in
 * order up to {@link #games} rows (59 by default, the FBS games of 2025 week 12). The per-model
 * benchmarks open their own sessions with the options of {@link OnnxModels} (one intra-op and
 * one inter-op thread, sequential mode) and time one {@code run} on a prepared input tensor.
 * {@link #ensemble()} times {@link OnnxModels#predict(float[][])}, which also copies the rows
 * into a native tensor and combines the three outputs.
 *
 * <p>Run from the repository root, single-threaded: {@code load-tests/bench/inference.sh}.
 * The models folder is {@code models-onnx} unless the system property {@code modelsPath} names
 * another.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class InferenceBenchmark {

  /** Number of rows per run; 59 is the number of FBS games in 2025 week 12. */
  @Param("59")
  public int games;

  private float[][] rows;
  private OnnxModels models;
  private OrtEnvironment environment;
  private OnnxTensor input;
  private OrtSession ridge;
  private OrtSession xgb;
  private OrtSession mlp;
  private String inputName;

  /** Loads the rows and opens the ensemble and one session per model. */
  @Setup(Level.Trial)
  public void open() throws IOException, OrtException {
    Path folder = Path.of(System.getProperty("modelsPath", "models-onnx"));
    JsonObject golden = new JsonObject(Files.readString(folder.resolve("golden.json")));
    inputName = golden.getString("inputName");
    rows = repeatRows(golden.getJsonArray("rows"), games);

    models = OnnxModels.load(folder);
    environment = OrtEnvironment.getEnvironment();
    ModelManifest manifest = models.manifest();
    ridge = openSession(folder, manifest.model(ModelManifest.RIDGE_MARGIN));
    xgb = openSession(folder, manifest.model(ModelManifest.XGB_WIN));
    mlp = openSession(folder, manifest.model(ModelManifest.MLP_WIN));
    input = OnnxTensor.createTensor(environment, rows);
  }

  /** Closes the sessions and the input tensor. */
  @TearDown(Level.Trial)
  public void close() throws OrtException {
    input.close();
    ridge.close();
    xgb.close();
    mlp.close();
    models.close();
  }

  /** Runs the ridge regression alone on a prepared tensor. */
  @Benchmark
  public float[][] ridgeMargin() throws OrtException {
    return run(ridge);
  }

  /** Runs the XGBoost classifier alone on a prepared tensor. */
  @Benchmark
  public float[][] xgbWin() throws OrtException {
    return run(xgb);
  }

  /** Runs the MLP classifier alone on a prepared tensor. */
  @Benchmark
  public float[][] mlpWin() throws OrtException {
    return run(mlp);
  }

  /** Runs the three models and the ensemble rule through the gateway's own code path. */
  @Benchmark
  public List<ModelOutputs> ensemble() throws OrtException {
    return models.predict(rows);
  }

  private float[][] run(OrtSession session) throws OrtException {
    // Reading the first output copies it to the heap, as the gateway does with its scores.
    try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
      Object value = result.get(0).getValue();
      return value instanceof float[][] matrix ? matrix : new float[0][];
    }
  }

  private OrtSession openSession(Path folder, ModelManifest.ModelSpec spec)
      throws IOException, OrtException {
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(ExecutionMode.SEQUENTIAL);
      return environment.createSession(Files.readAllBytes(folder.resolve(spec.file())), options);
    }
  }

  private static float[][] repeatRows(JsonArray golden, int count) {
    float[][] repeated = new float[count][];
    for (int i = 0; i < count; i++) {
      JsonArray features = golden.getJsonObject(i % golden.size()).getJsonArray("features");
      float[] row = new float[features.size()];
      for (int j = 0; j < row.length; j++) {
        // golden.json writes a missing feature as null; the models take NaN for it.
        Number value = features.getNumber(j);
        row[j] = value == null ? Float.NaN : value.floatValue();
      }
      repeated[i] = row;
    }
    return repeated;
  }
}
