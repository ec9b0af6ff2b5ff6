package io.scriptohio.gateway.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scriptohio.gateway.features.FeatureSchema;
import io.scriptohio.gateway.inference.ModelManifest.ModelSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verified ONNX Runtime sessions of the three game models and the ensemble rule.
 *
 * <p>{@link #load(Path)} reads the manifest, checks every feature list against
 * {@link FeatureSchema#NAMES} and every file against its SHA-256, then opens one session per
 * model in the process-wide {@link OrtEnvironment}. Sessions use one intra-op and one inter-op
 * thread in sequential mode, because the models are small and parallelism comes from several
 * worker verticles sharing these sessions.
 *
 * <p>Thread safety: {@link #predict(float[][])} may be called from many threads at once, since
 * ORT session runs are thread-safe. {@link #close()} waits for running predictions to finish.
 * Every method blocks (file reads or native calls), so none may run on an event loop.
 */
public final class OnnxModels implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxModels.class);

  /** Classifier output holding {@code [P(away win), P(home win)]} per row. */
  static final String PROBABILITIES_OUTPUT = "probabilities";

  /** Column of {@link #PROBABILITIES_OUTPUT} that contains P(home win). */
  static final int HOME_WIN_COLUMN = 1;

  private final OrtEnvironment environment;
  private final ModelManifest manifest;
  private final LoadedModel ridge;
  private final LoadedModel xgb;
  private final LoadedModel mlp;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private volatile boolean open = true;
  private volatile MeterRegistry registry;

  /** A session with the output and column that carry the model's score. */
  private record LoadedModel(ModelSpec spec, OrtSession session, String output, int column) {
  }

  private OnnxModels(OrtEnvironment environment, ModelManifest manifest, LoadedModel ridge,
      LoadedModel xgb, LoadedModel mlp) {
    this.environment = environment;
    this.manifest = manifest;
    this.ridge = ridge;
    this.xgb = xgb;
    this.mlp = mlp;
  }

  /**
   * Loads and verifies the models of a folder. Blocking: run it on a worker thread.
   *
   * @param folder folder holding {@code manifest.json} and the files it lists
   * @throws IllegalStateException when the manifest is unreadable or incomplete, or ORT rejects a
   *     file. Also when a feature list differs from the schema, with a message naming the model
   *     and the first differing feature, or a file's SHA-256 differs from the manifest, with a
   *     message naming the file and both hashes.
   */
  public static OnnxModels load(Path folder) {
    ModelManifest manifest = ModelManifest.read(folder.resolve(ModelManifest.FILE_NAME));
    checkFeatures(manifest);

    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    List<OrtSession> opened = new ArrayList<>();
    try {
      ModelSpec ridgeSpec = manifest.model(ModelManifest.RIDGE_MARGIN);
      LoadedModel ridge = open(environment, folder, ridgeSpec, ridgeSpec.outputNames().get(0), 0,
          opened);
      LoadedModel xgb = open(environment, folder, manifest.model(ModelManifest.XGB_WIN),
          PROBABILITIES_OUTPUT, HOME_WIN_COLUMN, opened);
      LoadedModel mlp = open(environment, folder, manifest.model(ModelManifest.MLP_WIN),
          PROBABILITIES_OUTPUT, HOME_WIN_COLUMN, opened);
      LOG.info("Loaded ensemble {} from {}", manifest.ensemble().version(), folder);
      return new OnnxModels(environment, manifest, ridge, xgb, mlp);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  /**
   * Runs every model once over all rows and combines the outputs.
   *
   * @param rows feature rows in {@link FeatureSchema#NAMES} order, NaN where missing, each of the
   *     schema's width (the caller checks it)
   * @return one entry per row, in row order
   * @throws OrtException when ORT fails a run
   * @throws IllegalStateException when the models are closed
   */
  public List<ModelOutputs> predict(float[][] rows) throws OrtException {
    lock.readLock().lock();
    try {
      if (!open) {
        throw new IllegalStateException("the models are closed");
      }
      if (rows.length == 0) {
        return List.of();
      }

      float[] margins;
      float[] xgbProbabilities;
      float[] mlpProbabilities;
      long[] shape = {rows.length, FeatureSchema.NAMES.size()};
      try (OnnxTensor input = OnnxTensor.createTensor(environment, flatten(rows), shape)) {
        margins = timedScore(ridge, input, rows.length);
        xgbProbabilities = timedScore(xgb, input, rows.length);
        mlpProbabilities = timedScore(mlp, input, rows.length);
      }
      runs.incrementAndGet();
      this.rows.addAndGet(rows.length);
      MeterRegistry meters = registry;
      if (meters != null) {
        DistributionSummary.builder(BATCH_SIZE_METER).publishPercentileHistogram()
            .register(meters).record(rows.length);
      }

      return combine(margins, xgbProbabilities, mlpProbabilities);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Time of one ONNX run of one model over a batch, by {@code model}. */
  public static final String DURATION_METER = "script.ohio.inference.duration";
  /** Rows per ONNX run. */
  public static final String BATCH_SIZE_METER = "script.ohio.inference.batch.size";

  /** Records the time of every later run and its batch size in {@code meters}. */
  public void meterRuns(MeterRegistry meters) {
    this.registry = meters;
  }

  private float[] timedScore(LoadedModel model, OnnxTensor input, int count) throws OrtException {
    MeterRegistry meters = registry;
    long started = System.nanoTime();
    float[] scores = score(model, input, count);
    if (meters != null) {
      Timer.builder(DURATION_METER).tag("model", model.spec().name()).publishPercentileHistogram()
          .register(meters).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
    return scores;
  }

  /** Returns the parsed manifest. */
  public ModelManifest manifest() {
    return manifest;
  }

  /** Returns whether the sessions are open. */
  public boolean ready() {
    return open;
  }

  /** Returns name, version and load state of each model, in ensemble formula order. */
  public List<ModelState> states() {
    boolean loaded = open;
    return List.of(
        new ModelState(ridge.spec().name(), ridge.spec().version(), loaded),
        new ModelState(xgb.spec().name(), xgb.spec().version(), loaded),
        new ModelState(mlp.spec().name(), mlp.spec().version(), loaded));
  }

  /** Returns how many {@link #predict(float[][])} calls ran the models (each model once a call). */
  public long runCount() {
    return runs.get();
  }

  /** Returns how many rows those runs predicted in total. */
  public long rowCount() {
    return rows.get();
  }

  /**
   * Closes the sessions after running predictions end. Later predictions fail with
   * {@link IllegalStateException}. The shared {@link OrtEnvironment} stays open because other
   * code in the process may use it. Safe to call more than once.
   */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!open) {
        return;
      }
      open = false;
      closeAll(List.of(ridge.session(), xgb.session(), mlp.session()));
      LOG.info("Closed ensemble {}", manifest.ensemble().version());
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void checkFeatures(ModelManifest manifest) {
    FeatureSchema.firstMismatch(manifest.features()).ifPresent(mismatch -> {
      throw new IllegalStateException("the model manifest's feature list does not match the "
          + "gateway: " + mismatch);
    });
    for (ModelSpec model : manifest.models()) {
      FeatureSchema.firstMismatch(model.features()).ifPresent(mismatch -> {
        throw new IllegalStateException("model '" + model.name() + "' does not match the "
            + "gateway's features: " + mismatch);
      });
    }
  }

  private static LoadedModel open(OrtEnvironment environment, Path folder, ModelSpec spec,
      String output, int column, List<OrtSession> opened) {
    Path file = folder.resolve(spec.file());
    byte[] bytes = verifiedBytes(file, spec);

    OrtSession session;
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(ExecutionMode.SEQUENTIAL);
      session = environment.createSession(bytes, options);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load " + file + " (model '"
          + spec.name() + "'): " + e.getMessage(), e);
    }
    opened.add(session);

    if (!session.getInputNames().contains(spec.inputName())) {
      throw new IllegalStateException("model '" + spec.name() + "' has inputs "
          + session.getInputNames() + " but the manifest names '" + spec.inputName() + "'");
    }
    if (!session.getOutputNames().contains(output)) {
      throw new IllegalStateException("model '" + spec.name() + "' has outputs "
          + session.getOutputNames() + " but serving reads '" + output + "'");
    }
    LOG.info("Loaded model {} version {} from {} (input {}, output {})", spec.name(),
        spec.version(), file, spec.inputName(), output);
    return new LoadedModel(spec, session, output, column);
  }

  /** Reads a model file and checks its hash, so that ORT loads exactly the bytes checked. */
  private static byte[] verifiedBytes(Path file, ModelSpec spec) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read model file " + file + " (model '"
          + spec.name() + "'): " + e, e);
    }
    String actual = sha256(bytes);
    if (!actual.equals(spec.sha256())) {
      throw new IllegalStateException("model file " + file + " has SHA-256 " + actual
          + " but the manifest expects " + spec.sha256()
          + "; replace the file or the manifest with a matching pair");
    }
    return bytes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest Javadoc).
      throw new IllegalStateException(e);
    }
  }

  private static FloatBuffer flatten(float[][] rows) {
    int width = FeatureSchema.NAMES.size();
    // A direct buffer in native order lets ORT read the rows without another copy.
    FloatBuffer buffer = ByteBuffer.allocateDirect(rows.length * width * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    for (float[] row : rows) {
      buffer.put(row);
    }
    return buffer.rewind();
  }

  private static float[] score(LoadedModel model, OnnxTensor input, int count)
      throws OrtException {
    Map<String, OnnxTensor> inputs = Map.of(model.spec().inputName(), input);
    try (OrtSession.Result result = model.session().run(inputs, Set.of(model.output()))) {
      OnnxValue value = result.get(model.output()).orElseThrow(() -> new IllegalStateException(
          "model '" + model.spec().name() + "' returned no '" + model.output() + "' output"));
      OnnxTensor tensor = (OnnxTensor) value;
      long[] shape = tensor.getInfo().getShape();
      int width = shape.length == 1 ? 1 : (int) shape[1];

      FloatBuffer values = tensor.getFloatBuffer();
      float[] scores = new float[count];
      for (int i = 0; i < count; i++) {
        scores[i] = values.get(i * width + model.column());
      }
      return scores;
    }
  }

  private List<ModelOutputs> combine(float[] margins, float[] xgbProbabilities,
      float[] mlpProbabilities) {
    ModelManifest.Ensemble ensemble = manifest.ensemble();
    List<ModelOutputs> outputs = new ArrayList<>(margins.length);
    for (int i = 0; i < margins.length; i++) {
      double margin = margins[i];
      outputs.add(new ModelOutputs(
          margin,
          ensemble.marginProbability(margin),
          xgbProbabilities[i],
          mlpProbabilities[i],
          ensemble.probability(margin, xgbProbabilities[i], mlpProbabilities[i]),
          margin));
    }
    return outputs;
  }

  private static void closeAll(List<OrtSession> sessions) {
    for (OrtSession session : sessions) {
      try {
        session.close();
      } catch (OrtException | RuntimeException e) {
        LOG.warn("Closing an ONNX Runtime session failed; its native memory may leak", e);
      }
    }
  }
}
