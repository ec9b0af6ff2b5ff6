package io.scriptohio.gateway.cfbd;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/**
 * Source of CFBD records for code that needs data rather than HTTP bodies, such as the feature
 * builder. The gateway implements it over the event bus (cache, coalescing and upstream behind
 * it); tests and offline tools implement it over a {@link SnapshotStore}.
 */
public interface CfbdDataSource {

  /**
   * Fetches the records of one CFBD request.
   *
   * @return the decoded JSON array; an empty array when CFBD has no records for the query
   */
  Future<JsonArray> fetch(CfbdRequest request);
}
