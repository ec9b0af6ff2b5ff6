package io.scriptohio.gateway.inference;

import java.util.List;

/**
 * Reply to a {@link PredictionRequest}: one {@link ModelOutputs} per request row, in row order.
 *
 * @param outputs per-row outputs
 * @param ensembleVersion version of the ensemble that produced them
 */
public record PredictionBatch(List<ModelOutputs> outputs, String ensembleVersion) {

  public PredictionBatch {
    outputs = List.copyOf(outputs);
  }
}
