package io.scriptohio.gateway.inference;

import io.scriptohio.gateway.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.Timer;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches concurrent prediction requests into one model run and splits the reply per request.
 *
 * <p>Consumes {@link #ADDRESS} with a {@link PredictionRequest} and replies a
 * {@link PredictionBatch} with exactly that request's rows, in order. The first request of a
 * batch starts a timer of {@code maxBatchDelayMicros}. The batch goes to
 * {@link InferenceVerticle#ADDRESS} when the timer fires or when it contains
 * {@code maxBatchSize} rows, whichever comes first. A request is never split across batches,
 * so one larger than {@code maxBatchSize} runs in a batch of its own.
 *
 * <p>Failure codes, as {@link GatewayFailure} JSON: 400 for a row of the wrong width (checked
 * here, so a bad request cannot fail the requests batched with it), and whatever the inference
 * verticle returns for the batch (503 models not loaded, 504 no reply within
 * {@link #PREDICT_TIMEOUT_MILLIS}, 500 run failed), sent to every request of the batch.
 *
 * <p>Runs on an event loop and never blocks. Deploy one instance, because batching happens within
 * an instance.
 */
public final class MicroBatchVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchVerticle.class);

  /** Event-bus address: request a {@link PredictionRequest}, reply a {@link PredictionBatch}. */
  public static final String ADDRESS = "inference.submit";

  /**
   * 10 s bound on one batch run, well below the HTTP request timeout (30 s by default), so a
   * stuck worker turns into a 504 for the waiting requests.
   */
  public static final long PREDICT_TIMEOUT_MILLIS = 10_000;

  private final long maxBatchDelayMicros;
  private final int maxBatchSize;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private MessageConsumer<PredictionRequest> consumer;
  private List<Message<PredictionRequest>> pending = new ArrayList<>();
  private int pendingRows;
  private Timer timer;

  /**
   * @param maxBatchDelayMicros how long the first request of a batch waits, in microseconds,
   *     where 0 sends every request at once
   * @param maxBatchSize rows that make a batch run without waiting
   */
  public MicroBatchVerticle(long maxBatchDelayMicros, int maxBatchSize) {
    this.maxBatchDelayMicros = maxBatchDelayMicros;
    this.maxBatchSize = maxBatchSize;
  }

  @Override
  public Future<?> start() {
    PredictionRequest.registerCodecs(vertx);

    consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
    return consumer.completion();
  }

  /**
   * Stops accepting requests and completes once every request of the batch in progress has a
   * reply, so the workers can be undeployed after this without stranding a caller.
   */
  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return Future.join(unregistered, flush().otherwiseEmpty());
  }

  /** Returns how many batches were sent to the inference verticle. */
  public long batchCount() {
    return batches.get();
  }

  /** Returns how many requests were accepted into batches. */
  public long requestCount() {
    return requests.get();
  }

  /** Returns how many rows those batches carried in total. */
  public long rowCount() {
    return rows.get();
  }

  private void handle(Message<PredictionRequest> message) {
    if (PredictionRequest.failIfInvalid(message)) {
      return;
    }
    PredictionRequest request = message.body();

    if (!pending.isEmpty() && pendingRows + request.size() > maxBatchSize) {
      flush();
    }
    pending.add(message);
    pendingRows += request.size();
    requests.incrementAndGet();

    if (pendingRows >= maxBatchSize || maxBatchDelayMicros == 0) {
      flush();
    } else if (timer == null) {
      List<Message<PredictionRequest>> batch = pending;
      timer = vertx.timer(maxBatchDelayMicros, TimeUnit.MICROSECONDS);
      timer.onSuccess(fired -> {
        // A size-triggered flush may have sent this batch already.
        if (pending == batch) {
          flush();
        }
      });
    }
  }

  private Future<Void> flush() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Message<PredictionRequest>> batch = pending;
    int batchRows = pendingRows;
    pending = new ArrayList<>();
    pendingRows = 0;

    float[][] combined = new float[batchRows][];
    int offset = 0;
    for (Message<PredictionRequest> message : batch) {
      float[][] requestRows = message.body().rows();
      System.arraycopy(requestRows, 0, combined, offset, requestRows.length);
      offset += requestRows.length;
    }
    batches.incrementAndGet();
    rows.addAndGet(batchRows);

    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(PREDICT_TIMEOUT_MILLIS);
    return vertx.eventBus().<PredictionBatch>request(InferenceVerticle.ADDRESS,
            new PredictionRequest(combined), delivery)
        .onSuccess(reply -> split(batch, reply.body()))
        .onFailure(failure -> {
          GatewayFailure clientFailure = GatewayFailure.from(failure);
          LOG.warn("Batch of {} requests ({} rows) failed with {}: {}", batch.size(), batchRows,
              clientFailure.status(), clientFailure.detail());
          for (Message<PredictionRequest> message : batch) {
            clientFailure.failMessage(message);
          }
        })
        .mapEmpty();
  }

  private static void split(List<Message<PredictionRequest>> batch, PredictionBatch result) {
    int offset = 0;
    for (Message<PredictionRequest> message : batch) {
      int size = message.body().size();
      List<ModelOutputs> own = result.outputs().subList(offset, offset + size);
      message.reply(new PredictionBatch(own, result.ensembleVersion()));
      offset += size;
    }
  }
}
