package io.scriptohio.gateway.inference;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of model serving.
 *
 * @param modelsPath folder with {@code manifest.json} and the ONNX files ({@code MODELS_PATH})
 * @param maxBatchDelayMicros how long, in microseconds, the first request of a batch waits for
 *     others before the batch runs, where 0 runs each request as soon as it arrives
 * @param maxBatchSize rows after which a batch runs without waiting, though a single larger
 *     request still runs whole, in a batch of its own
 * @param workerInstances number of worker verticle instances that run the models in parallel
 */
public record InferenceOptions(Path modelsPath, long maxBatchDelayMicros, int maxBatchSize,
    int workerInstances) {

  /** Default models folder, relative to the working directory. */
  public static final String DEFAULT_MODELS_PATH = "models-onnx";

  /**
   * 500 µs of waiting costs little next to a CFBD round trip, and it is long enough for requests
   * that arrive together (one page asking for several weeks) to share a run.
   */
  public static final long DEFAULT_MAX_BATCH_DELAY_MICROS = 500;

  /** 512 rows hold several weeks of games in one input tensor of 74 KiB (512 x 37 floats). */
  public static final int DEFAULT_MAX_BATCH_SIZE = 512;

  /**
   * One worker per available core, because each run uses one ORT thread and a worker instance
   * never runs two messages at once.
   */
  public static final int DEFAULT_WORKER_INSTANCES = Runtime.getRuntime().availableProcessors();

  /** Upper bound of {@link #maxBatchDelayMicros()}: one second. */
  public static final long MAX_BATCH_DELAY_MICROS = 1_000_000;

  /** Upper bound of {@link #maxBatchSize()}, which keeps one input tensor under about 10 MB. */
  public static final int MAX_BATCH_SIZE = 65_536;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting and its allowed range
   */
  public InferenceOptions {
    Objects.requireNonNull(modelsPath, "modelsPath");
    if (maxBatchDelayMicros < 0 || maxBatchDelayMicros > MAX_BATCH_DELAY_MICROS) {
      throw new IllegalArgumentException("maxBatchDelayMicros is " + maxBatchDelayMicros
          + "; allowed 0 to " + MAX_BATCH_DELAY_MICROS);
    }
    if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("maxBatchSize is " + maxBatchSize + "; allowed 1 to "
          + MAX_BATCH_SIZE);
    }
    if (workerInstances < 1 || workerInstances > 64) {
      throw new IllegalArgumentException("workerInstances is " + workerInstances
          + "; allowed 1 to 64");
    }
  }

  /** Returns the default settings for models in {@code modelsPath}. */
  public static InferenceOptions defaults(Path modelsPath) {
    return new InferenceOptions(modelsPath, DEFAULT_MAX_BATCH_DELAY_MICROS,
        DEFAULT_MAX_BATCH_SIZE, DEFAULT_WORKER_INSTANCES);
  }

  /** Returns a copy with another batching window and size. */
  public InferenceOptions withBatching(long delayMicros, int size) {
    return new InferenceOptions(modelsPath, delayMicros, size, workerInstances);
  }

  /** Returns the settings as JSON, safe to log because none of them is secret. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("modelsPath", modelsPath.toString())
        .put("maxBatchDelayMicros", maxBatchDelayMicros)
        .put("maxBatchSize", maxBatchSize)
        .put("workerInstances", workerInstances);
  }
}
