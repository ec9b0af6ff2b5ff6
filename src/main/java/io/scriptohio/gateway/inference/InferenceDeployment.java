package io.scriptohio.gateway.inference;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model serving as deployed in one Vert.x instance: the loaded models, the worker
 * {@link InferenceVerticle}s that share them and the {@link MicroBatchVerticle} in front.
 *
 * <p>Callers send {@link PredictionRequest}s to {@link MicroBatchVerticle#ADDRESS}. Call
 * {@link #undeploy()} before closing Vert.x, because the ONNX sessions hold native memory that
 * only {@link OnnxModels#close()} frees.
 */
public final class InferenceDeployment {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceDeployment.class);

  private final Vertx vertx;
  private final OnnxModels models;
  private final MicroBatchVerticle batcher;
  private final String workersId;
  private final String batcherId;
  private final AtomicBoolean undeployed = new AtomicBoolean();

  private InferenceDeployment(Vertx vertx, OnnxModels models, MicroBatchVerticle batcher,
      String workersId, String batcherId) {
    this.vertx = vertx;
    this.models = models;
    this.batcher = batcher;
    this.workersId = workersId;
    this.batcherId = batcherId;
  }

  /**
   * Loads the models on a worker thread, then deploys the workers and the batcher.
   *
   * <p>May be called from any thread. The models are loaded once and shared by every worker
   * instance.
   *
   * @return the deployment, or a failure whose message names the model file or feature that
   *     stopped loading; nothing stays deployed or open after a failure
   */
  public static Future<InferenceDeployment> deploy(Vertx vertx, InferenceOptions options) {
    PredictionRequest.registerCodecs(vertx);

    return vertx.executeBlocking(() -> OnnxModels.load(options.modelsPath()), false)
        .compose(models -> deployVerticles(vertx, options, models)
            .recover(failure -> vertx.executeBlocking(() -> {
              models.close();
              return null;
            }, false).transform(closed -> Future.failedFuture(failure))))
        .onSuccess(deployment -> LOG.info("Inference deployed: {}", options.toJson().encode()));
  }

  private static Future<InferenceDeployment> deployVerticles(Vertx vertx,
      InferenceOptions options, OnnxModels models) {
    DeploymentOptions workers = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setInstances(options.workerInstances());
    MicroBatchVerticle batcher = new MicroBatchVerticle(options.maxBatchDelayMicros(),
        options.maxBatchSize());

    return vertx.deployVerticle(() -> new InferenceVerticle(models), workers)
        .compose(workersId -> vertx.deployVerticle(batcher)
            .map(batcherId -> new InferenceDeployment(vertx, models, batcher, workersId,
                batcherId))
            .recover(failure -> vertx.undeploy(workersId)
                .transform(undone -> Future.failedFuture(failure))));
  }

  /** Returns whether predictions can be served: models loaded and verticles deployed. */
  public boolean ready() {
    return !undeployed.get() && models.ready();
  }

  /** Returns name, version and load state of each model. */
  public List<ModelState> modelStates() {
    return models.states();
  }

  /** Returns the ensemble version from the manifest. */
  public String ensembleVersion() {
    return models.manifest().ensemble().version();
  }

  /** Returns the loaded models, for their run counters and manifest. */
  public OnnxModels models() {
    return models;
  }

  /** Returns the batcher, for its batch and row counters. */
  public MicroBatchVerticle batcher() {
    return batcher;
  }

  /**
   * Undeploys the batcher, then the workers, then closes the sessions on a worker thread. A
   * pending batch is still sent before the batcher stops. Safe to call more than once, and after
   * Vert.x has already undeployed the verticles as children of the caller's deployment.
   */
  public Future<Void> undeploy() {
    if (!undeployed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return undeployIfPresent(batcherId)
        .eventually(() -> undeployIfPresent(workersId))
        .eventually(() -> vertx.executeBlocking(() -> {
          models.close();
          return null;
        }, false))
        .mapEmpty();
  }

  private Future<Void> undeployIfPresent(String deploymentId) {
    if (!vertx.deploymentIDs().contains(deploymentId)) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deploymentId);
  }
}
