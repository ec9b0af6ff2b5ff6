package io.scriptohio.gateway.cfbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptohio.gateway.support.DataPack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SnapshotDataSourceTest {

  @Test
  void fetch_fromEventLoop(Vertx vertx, VertxTestContext testContext) {
    SnapshotStore store = SnapshotStore.open(DataPack.cfbd());
    SnapshotDataSource source = new SnapshotDataSource(vertx, store);
    CfbdRequest request = CfbdRequest.of("talent", "year", "2025", "team", "Georgia");
    JsonArray expected = store.records(request);

    vertx.runOnContext(unused -> source.fetch(request).onComplete(testContext.succeeding(records ->
        testContext.verify(() -> {
          assertThat(records.size()).isEqualTo(1);
          assertThat(records.getJsonObject(0).getString("team")).isEqualTo("Georgia");
          assertThat(records).isEqualTo(expected);
          testContext.completeNow();
        }))));
  }
}
