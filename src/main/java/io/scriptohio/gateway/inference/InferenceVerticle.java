package io.scriptohio.gateway.inference;

import ai.onnxruntime.OrtException;
import io.scriptohio.gateway.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the models for {@link PredictionRequest}s on a worker thread.
 *
 * <p>Consumes {@link #ADDRESS} and replies a {@link PredictionBatch} with one row of outputs per
 * request row. Every model runs once per message, over all its rows. Failure codes, sent as
 * {@link GatewayFailure} JSON: 400 when a row does not have one value per schema feature, 503
 * when the models are not loaded or already closed, 500 when ONNX Runtime fails a run.
 *
 * <p>Deploy it with {@code ThreadingModel.WORKER} and several instances that share one
 * {@link OnnxModels}, because one instance handles one message at a time; start fails on an
 * event loop, where a run would block other requests. Callers normally send to
 * {@link MicroBatchVerticle#ADDRESS}, which batches concurrent requests into one message here.
 */
public final class InferenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);

  /** Event-bus address: request a {@link PredictionRequest}, reply a {@link PredictionBatch}. */
  public static final String ADDRESS = "inference.predict";

  private final OnnxModels models;
  private MessageConsumer<PredictionRequest> consumer;

  /**
   * @param models loaded models shared by every instance, closed by the deployment that loaded
   *     them after it undeploys these verticles
   */
  public InferenceVerticle(OnnxModels models) {
    this.models = models;
  }

  @Override
  public Future<?> start() {
    if (!context.isWorkerContext()) {
      return Future.failedFuture(new IllegalStateException(
          "InferenceVerticle must be deployed with ThreadingModel.WORKER"));
    }
    PredictionRequest.registerCodecs(vertx);

    consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<PredictionRequest> message) {
    if (PredictionRequest.failIfInvalid(message)) {
      return;
    }
    PredictionRequest request = message.body();
    if (!models.ready()) {
      LOG.debug("Rejected {} rows because the models are not loaded", request.size());
      notLoaded().failMessage(message);
      return;
    }

    try {
      List<ModelOutputs> outputs = models.predict(request.rows());
      message.reply(new PredictionBatch(outputs, models.manifest().ensemble().version()));
    } catch (IllegalStateException e) {
      if (!models.ready()) {
        // The models closed between the check above and the run, during undeployment.
        LOG.debug("Rejected {} rows because the models closed", request.size());
        notLoaded().failMessage(message);
        return;
      }
      fail(message, request, e);
    } catch (OrtException e) {
      fail(message, request, e);
    }
  }

  private static GatewayFailure notLoaded() {
    return new GatewayFailure(503, "Service Unavailable", "the prediction models are not loaded");
  }

  private static void fail(Message<PredictionRequest> message, PredictionRequest request,
      Exception e) {
    LOG.error("Inference of {} rows failed", request.size(), e);
    new GatewayFailure(500, "Internal Server Error", "the prediction models failed; see the "
        + "gateway log").failMessage(message);
  }
}
