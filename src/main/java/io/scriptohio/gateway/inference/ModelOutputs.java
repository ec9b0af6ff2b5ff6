package io.scriptohio.gateway.inference;

/**
 * Every model's prediction for one game, plus the ensemble. Probabilities are of a home win (0 to
 * 1) and margins are home minus away points.
 *
 * @param ridgeMargin ridge regression margin
 * @param ridgeProbability the ridge margin mapped to a probability by the ensemble's logistic rule
 * @param xgbProbability XGBoost classifier probability
 * @param mlpProbability MLP classifier probability
 * @param ensembleProbability weighted ensemble probability
 * @param ensembleMargin ensemble margin, which the manifest defines as the ridge margin
 */
public record ModelOutputs(
    double ridgeMargin,
    double ridgeProbability,
    double xgbProbability,
    double mlpProbability,
    double ensembleProbability,
    double ensembleMargin) {
}
