package io.scriptohio.gateway.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptohio.gateway.GatewayFailure;
import io.scriptohio.gateway.features.FeatureSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys the workers and the batcher in a real Vert.x with the committed models. Tests wait
 * for replies on the JUnit thread, which is not a Vert.x thread, so {@code await} is allowed.
 */
@ExtendWith(VertxExtension.class)
class InferenceDeploymentTest {

  /** Requests sent together in the batching tests. */
  private static final int REQUESTS = 20;

  /** Rows per request, standing for the games of one week. */
  private static final int ROWS_PER_REQUEST = 3;

  private InferenceDeployment deployment;

  @AfterEach
  void undeploy() {
    if (deployment != null) {
      deployment.undeploy().await();
    }
  }

  @Test
  void submit_sizeTriggeredBatchRunsOnce(Vertx vertx) throws Exception {
    // A window far longer than the test, so only the size bound can send the batch.
    InferenceOptions options = InferenceOptions.defaults(GoldenRows.MODELS)
        .withBatching(InferenceOptions.MAX_BATCH_DELAY_MICROS, REQUESTS * ROWS_PER_REQUEST);
    deployment = InferenceDeployment.deploy(vertx, options).await();
    float[][][] requests = requestRows();
    List<List<ModelOutputs>> expected = singleRowOutputs(requests);
    long runsBefore = deployment.models().runCount();

    List<PredictionBatch> replies = submitAll(vertx, requests);

    assertThat(deployment.models().runCount() - runsBefore).isEqualTo(1);
    assertThat(deployment.batcher().batchCount()).isEqualTo(1);
    assertThat(deployment.batcher().rowCount()).isEqualTo(REQUESTS * ROWS_PER_REQUEST);
    assertOwnRows(replies, expected);
  }

  @Test
  void submit_windowBatchesConcurrentRequests(Vertx vertx) throws Exception {
    // 50 ms is far longer than sending 20 local messages takes, so they share few batches.
    InferenceOptions options = InferenceOptions.defaults(GoldenRows.MODELS)
        .withBatching(50_000, InferenceOptions.DEFAULT_MAX_BATCH_SIZE);
    deployment = InferenceDeployment.deploy(vertx, options).await();
    float[][][] requests = requestRows();
    List<List<ModelOutputs>> expected = singleRowOutputs(requests);
    long runsBefore = deployment.models().runCount();

    List<PredictionBatch> replies = submitAll(vertx, requests);

    assertThat(deployment.models().runCount() - runsBefore).isLessThan(REQUESTS);
    assertThat(deployment.batcher().requestCount()).isEqualTo(REQUESTS);
    assertOwnRows(replies, expected);
  }

  @Test
  void submit_largeRequestRunsWhole(Vertx vertx) throws Exception {
    InferenceOptions options = InferenceOptions.defaults(GoldenRows.MODELS).withBatching(500, 4);
    deployment = InferenceDeployment.deploy(vertx, options).await();
    float[][] rows = GoldenRows.features(GoldenRows.read());

    PredictionBatch reply = submit(vertx, new PredictionRequest(rows)).await().body();

    assertThat(reply.outputs()).hasSize(rows.length);
    assertThat(deployment.batcher().batchCount()).isEqualTo(1);
    assertThat(reply.ensembleVersion()).isEqualTo("42289eef-60b8dbbf-86e7acbc");
  }

  @Test
  void submit_wrongWidthRejectedAlone(Vertx vertx) throws Exception {
    InferenceOptions options = InferenceOptions.defaults(GoldenRows.MODELS)
        .withBatching(50_000, InferenceOptions.DEFAULT_MAX_BATCH_SIZE);
    deployment = InferenceDeployment.deploy(vertx, options).await();
    float[] good = GoldenRows.read().get(0).features();
    float[] short36 = Arrays.copyOf(good, FeatureSchema.NAMES.size() - 1);

    Future<Message<PredictionBatch>> valid = submit(vertx, new PredictionRequest(
        new float[][] {good}));
    Future<Message<PredictionBatch>> invalid = submit(vertx, new PredictionRequest(
        new float[][] {good, short36}));

    assertThat(valid.await().body().outputs()).hasSize(1);
    assertThatThrownBy(invalid::await)
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(400);
          assertThat(GatewayFailure.from(e).detail()).isEqualTo(
              "row 1 has 36 features; expected 37 in feature schema 1 order");
        });
  }

  @Test
  void predict_wrongWidthRejected(Vertx vertx) throws Exception {
    deployment = InferenceDeployment.deploy(vertx,
        InferenceOptions.defaults(GoldenRows.MODELS)).await();

    Future<Message<PredictionBatch>> reply = vertx.eventBus().request(InferenceVerticle.ADDRESS,
        new PredictionRequest(new float[][] {new float[40]}));

    assertThatThrownBy(reply::await)
        .isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureCode()).isEqualTo(400);
          assertThat(GatewayFailure.from(e).detail()).startsWith("row 0 has 40 features");
        });
  }

  @Test
  void submit_emptyRequestAnswered(Vertx vertx) throws Exception {
    deployment = InferenceDeployment.deploy(vertx,
        InferenceOptions.defaults(GoldenRows.MODELS)).await();

    PredictionBatch reply = submit(vertx, new PredictionRequest(new float[0][])).await().body();

    assertThat(reply.outputs()).isEmpty();
    assertThat(deployment.models().runCount()).isZero();
  }

  @Test
  void undeploy_closesModelsAndAddresses(Vertx vertx) throws Exception {
    deployment = InferenceDeployment.deploy(vertx,
        InferenceOptions.defaults(GoldenRows.MODELS)).await();
    assertThat(deployment.ready()).isTrue();
    assertThat(deployment.modelStates()).extracting(ModelState::loaded).containsOnly(true);

    deployment.undeploy().await();

    assertThat(deployment.ready()).isFalse();
    assertThat(deployment.modelStates()).extracting(ModelState::loaded).containsOnly(false);
    Future<Message<PredictionBatch>> reply = submit(vertx, new PredictionRequest(
        new float[][] {GoldenRows.read().get(0).features()}));
    assertThatThrownBy(reply::await)
        .isInstanceOfSatisfying(ReplyException.class,
            e -> assertThat(GatewayFailure.from(e).status()).isEqualTo(503));
  }

  @Test
  void deploy_alteredModelFails(Vertx vertx, @TempDir Path folder) throws Exception {
    GoldenRows.copyModels(folder);
    Files.write(folder.resolve("xgb_win.onnx"), new byte[] {1, 2, 3});

    Future<InferenceDeployment> deployed = InferenceDeployment.deploy(vertx,
        InferenceOptions.defaults(folder));

    assertThatThrownBy(deployed::await)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("xgb_win.onnx")
        .hasMessageContaining("SHA-256");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  void deploy_onEventLoopRejected(Vertx vertx) {
    OnnxModels models = OnnxModels.load(GoldenRows.MODELS);
    try {
      Future<String> deployed = vertx.deployVerticle(new InferenceVerticle(models));

      assertThatThrownBy(deployed::await).hasMessageContaining("ThreadingModel.WORKER");
    } finally {
      models.close();
    }
  }

  /** Gives each request three different golden rows, as if each asked for another week. */
  private static float[][][] requestRows() {
    float[][] golden = GoldenRows.features(GoldenRows.read());
    float[][][] requests = new float[REQUESTS][ROWS_PER_REQUEST][];
    for (int i = 0; i < REQUESTS; i++) {
      for (int j = 0; j < ROWS_PER_REQUEST; j++) {
        requests[i][j] = golden[(i * ROWS_PER_REQUEST + j) % golden.length];
      }
    }
    return requests;
  }

  /** Predicts every row in a run of its own, directly on the models, before the batching run. */
  private List<List<ModelOutputs>> singleRowOutputs(float[][][] requests) throws Exception {
    List<List<ModelOutputs>> expected = new ArrayList<>();
    for (float[][] request : requests) {
      List<ModelOutputs> outputs = new ArrayList<>();
      for (float[] row : request) {
        outputs.add(deployment.models().predict(new float[][] {row}).get(0));
      }
      expected.add(outputs);
    }
    return expected;
  }

  private static List<PredictionBatch> submitAll(Vertx vertx, float[][][] requests) {
    List<Future<Message<PredictionBatch>>> sent = new ArrayList<>();
    for (float[][] rows : requests) {
      sent.add(submit(vertx, new PredictionRequest(rows)));
    }
    List<PredictionBatch> replies = new ArrayList<>();
    for (Future<Message<PredictionBatch>> reply : sent) {
      replies.add(reply.await().body());
    }
    return replies;
  }

  private static Future<Message<PredictionBatch>> submit(Vertx vertx, PredictionRequest request) {
    return vertx.eventBus().request(MicroBatchVerticle.ADDRESS, request);
  }

  private static void assertOwnRows(List<PredictionBatch> replies,
      List<List<ModelOutputs>> expected) {
    assertThat(replies).hasSize(expected.size());
    for (int i = 0; i < replies.size(); i++) {
      List<ModelOutputs> outputs = replies.get(i).outputs();
      assertThat(outputs).as("request " + i).hasSize(expected.get(i).size());
      for (int j = 0; j < outputs.size(); j++) {
        GoldenRows.assertSameOutputs(outputs.get(j), expected.get(i).get(j),
            "request " + i + " row " + j);
      }
    }
  }
}
