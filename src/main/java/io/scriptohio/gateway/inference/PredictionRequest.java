package io.scriptohio.gateway.inference;

import io.scriptohio.gateway.GatewayFailure;
import io.scriptohio.gateway.LocalCodec;
import io.scriptohio.gateway.features.FeatureSchema;
import io.scriptohio.gateway.features.GameFeatures;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature rows to predict, sent to {@link MicroBatchVerticle#ADDRESS} or
 * {@link InferenceVerticle#ADDRESS}.
 *
 * <p>Each row contains the raw features in {@link FeatureSchema#NAMES} order, NaN where
 * missing, because the graphs impute and scale. The arrays travel by reference through a local
 * codec, so callers must not change them after sending.
 *
 * @param rows one row per game, each of {@link FeatureSchema#NAMES} length
 */
public record PredictionRequest(float[][] rows) {

  private static final Logger LOG = LoggerFactory.getLogger(PredictionRequest.class);

  /** Builds a request from feature vectors, keeping their order. */
  public static PredictionRequest of(List<GameFeatures> games) {
    float[][] rows = new float[games.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = games.get(i).values();
    }
    return new PredictionRequest(rows);
  }

  /** Returns the number of rows. */
  public int size() {
    return rows == null ? 0 : rows.length;
  }

  /**
   * Checks the shape of the rows. NaN values are allowed because every graph handles missing
   * values: the ridge and MLP graphs include an imputer and the XGBoost trees route NaN.
   *
   * @return empty when valid, else a 400 failure naming the first bad row
   */
  public Optional<GatewayFailure> invalidity() {
    if (rows == null) {
      return Optional.of(invalid("the prediction request has no rows array"));
    }
    int width = FeatureSchema.NAMES.size();
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != width) {
        int actual = rows[i] == null ? 0 : rows[i].length;
        return Optional.of(invalid("row " + i + " has " + actual + " features; expected " + width
            + " in feature schema " + FeatureSchema.VERSION + " order"));
      }
    }
    return Optional.empty();
  }

  /**
   * Fails a message whose request is missing or has a row of the wrong width, with a 400
   * {@link GatewayFailure}.
   *
   * @return whether the message was failed, so the caller must not handle it further
   */
  static boolean failIfInvalid(Message<PredictionRequest> message) {
    PredictionRequest request = message.body();
    Optional<GatewayFailure> invalid = request == null
        ? Optional.of(invalid("the prediction request is empty"))
        : request.invalidity();
    if (invalid.isEmpty()) {
      return false;
    }
    LOG.debug("Rejected a prediction request: {}", invalid.get().detail());
    invalid.get().failMessage(message);
    return true;
  }

  /** Registers the local codecs of requests and replies; safe to call more than once. */
  static void registerCodecs(Vertx vertx) {
    LocalCodec.register(vertx, PredictionRequest.class);
    LocalCodec.register(vertx, PredictionBatch.class);
  }

  private static GatewayFailure invalid(String detail) {
    return new GatewayFailure(400, "Bad Request", detail);
  }
}
