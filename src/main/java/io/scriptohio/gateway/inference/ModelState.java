package io.scriptohio.gateway.inference;

/**
 * Load state of one model, for the models endpoint and readiness.
 *
 * @param name model name from the manifest, e.g. {@code xgb_win}
 * @param version version label from the manifest
 * @param loaded whether its session is open and serving
 */
public record ModelState(String name, String version, boolean loaded) {
}
