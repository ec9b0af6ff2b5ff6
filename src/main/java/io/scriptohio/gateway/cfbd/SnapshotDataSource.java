package io.scriptohio.gateway.cfbd;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.Objects;

/**
 * {@link CfbdDataSource} over a {@link SnapshotStore}, for offline runs and tests. Each fetch
 * reads files on a worker thread through {@code executeBlocking}, so it is safe to call from an
 * event loop.
 */
public final class SnapshotDataSource implements CfbdDataSource {

  private final Vertx vertx;
  private final SnapshotStore store;

  public SnapshotDataSource(Vertx vertx, SnapshotStore store) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Fetches the stored records of a request. Fetches run unordered, so several may read files in
   * parallel.
   *
   * @return the records, an empty array when no stored file contains any; fails when a file cannot
   *     be read
   */
  @Override
  public Future<JsonArray> fetch(CfbdRequest request) {
    return vertx.executeBlocking(() -> store.records(request), false);
  }
}
