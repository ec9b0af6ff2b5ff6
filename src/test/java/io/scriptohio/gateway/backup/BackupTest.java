package io.scriptohio.gateway.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptohio.gateway.support.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Backups of cached CFBD responses: written by the timer, verified, restored and served offline. */
@ExtendWith(VertxExtension.class)
class BackupTest {

  private static final List<String> REQUESTS = List.of(
      "/api/v1/cfbd/games?year=2025&week=12&seasonType=regular&classification=fbs",
      "/api/v1/cfbd/games?year=2024&seasonType=regular&classification=fbs&team=Ohio%20State",
      "/api/v1/cfbd/talent?year=2025",
      "/api/v1/cfbd/lines?year=2025&week=11&seasonType=regular");

  @TempDir
  Path tempDir;

  private Vertx vertx;
  private WebClient client;
  private GatewayHarness online;
  private GatewayHarness offline;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    if (online != null) {
      online.close();
    }
    if (offline != null) {
      offline.close();
    }
  }

  private HttpResponse<Buffer> get(GatewayHarness gateway, String path) {
    return client.get(gateway.apiPort(), "127.0.0.1", path).send().await();
  }

  private Path awaitSnapshot(Path backupDir) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      Path latest = Snapshots.latest(backupDir);
      if (latest != null) {
        return latest;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the backup timer wrote no snapshot into " + backupDir);
  }

  @Test
  void timerSnapshot_restoresIntoOfflineGateway() throws Exception {
    Path backupDir = tempDir.resolve("backups");
    online = new GatewayHarness(vertx)
        .env("BACKUP_INTERVAL", "1")
        .env("BACKUP_DIR", backupDir.toString())
        .start();
    Map<String, Buffer> bodies = new java.util.LinkedHashMap<>();
    for (String request : REQUESTS) {
      HttpResponse<Buffer> response = get(online, request);
      assertThat(response.statusCode()).isEqualTo(200);
      bodies.put(request, response.body());
    }

    Path snapshot = awaitSnapshot(backupDir);
    // The timer may have fired before the last request was cached; take the next one then.
    while (Snapshots.verify(snapshot) < REQUESTS.size()) {
      Thread.sleep(200);
      snapshot = Snapshots.latest(backupDir);
    }
    Path restored = tempDir.resolve("restored");
    int files = Snapshots.restore(snapshot, restored);
    offline = new GatewayHarness(vertx).offlineOn(restored).start();

    assertThat(files).isEqualTo(REQUESTS.size());
    assertThat(online.gateway().registry().counter(BackupVerticle.BACKUPS_METER, "result", "success")
        .count()).isGreaterThanOrEqualTo(1.0);
    assertThat(Files.isRegularFile(restored.resolve(
        "games/classification=fbs&seasonType=regular&week=12&year=2025.json"))).isTrue();
    for (String request : REQUESTS) {
      HttpResponse<Buffer> response = get(offline, request);
      assertThat(response.statusCode()).as(request).isEqualTo(200);
      assertThat(response.getHeader("X-Data-Source")).isEqualTo("snapshot");
      assertThat(response.body()).as(request).isEqualTo(bodies.get(request));
    }
  }

  @Test
  void verify_corruptedFileNamed() throws Exception {
    Path backupDir = tempDir.resolve("backups");
    online = new GatewayHarness(vertx).start();
    for (String request : REQUESTS) {
      get(online, request);
    }
    Path snapshot = Snapshots.write(online.gateway().localStore().entries(), backupDir, Instant.now());
    Path talent = snapshot.resolve("talent/year=2025.json");
    byte[] bytes = Files.readAllBytes(talent);
    bytes[10] = (byte) (bytes[10] ^ 0x20);
    Files.write(talent, bytes);
    Path target = tempDir.resolve("target");

    assertThatThrownBy(() -> Snapshots.verify(snapshot))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("talent/year=2025.json has sha256");
    assertThatThrownBy(() -> Snapshots.restore(snapshot, target))
        .hasMessageContaining("talent/year=2025.json");
    assertThat(Files.exists(target)).isFalse();
  }

  @Test
  void verify_missingAndUnlistedFiles() throws Exception {
    online = new GatewayHarness(vertx).start();
    get(online, REQUESTS.get(0));
    get(online, REQUESTS.get(2));
    Path snapshot = Snapshots.write(online.gateway().localStore().entries(), tempDir, Instant.now());

    Files.writeString(snapshot.resolve("talent/year=2019.json"), "[]");
    assertThatThrownBy(() -> Snapshots.verify(snapshot))
        .hasMessageContaining("talent/year=2019.json is not listed in INDEX.json");

    Files.delete(snapshot.resolve("talent/year=2019.json"));
    Files.delete(snapshot.resolve("talent/year=2025.json"));
    assertThatThrownBy(() -> Snapshots.verify(snapshot))
        .hasMessageContaining("talent/year=2025.json is listed in INDEX.json but missing");
  }

  @Test
  void prune_deletesOnlyExpired() throws Exception {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    Path old = Snapshots.write(Map.of(), tempDir, now.minus(Duration.ofDays(8)));
    Path recent = Snapshots.write(Map.of(), tempDir, now.minus(Duration.ofDays(2)));

    List<Path> deleted = Snapshots.prune(tempDir, Duration.ofDays(7), now);

    assertThat(deleted).containsExactly(old);
    assertThat(Files.exists(old)).isFalse();
    assertThat(Files.isDirectory(recent)).isTrue();
    assertThat(Snapshots.latest(tempDir)).isEqualTo(recent);
  }

  @Test
  void write_indexListsChecksums() throws Exception {
    online = new GatewayHarness(vertx).start();
    Buffer body = get(online, REQUESTS.get(2)).body();

    Path snapshot = Snapshots.write(online.gateway().localStore().entries(), tempDir, Instant.now());

    JsonObject index = new JsonObject(Files.readString(snapshot.resolve(Snapshots.INDEX)));
    JsonObject entry = index.getJsonArray("files").getJsonObject(0);
    assertThat(entry.getString("file")).isEqualTo("talent/year=2025.json");
    assertThat(entry.getString("endpoint")).isEqualTo("/talent");
    assertThat(entry.getInteger("bytes")).isEqualTo(body.length());
    assertThat(entry.getString("sha256")).isEqualTo(Snapshots.sha256(body.getBytes()));
    assertThat(Files.list(tempDir).filter(p -> p.getFileName().toString().startsWith("."))).isEmpty();
  }

  @Test
  void verify_unlistedOtherFileAndOutsideLink() throws Exception {
    online = new GatewayHarness(vertx).start();
    get(online, REQUESTS.get(2));
    Path snapshot = Snapshots.write(online.gateway().localStore().entries(), tempDir.resolve("b"),
        Instant.now());
    Files.writeString(snapshot.resolve("notes.txt"), "hello");

    assertThatThrownBy(() -> Snapshots.verify(snapshot))
        .hasMessageContaining("notes.txt is not listed in INDEX.json");

    Files.delete(snapshot.resolve("notes.txt"));
    Path talent = snapshot.resolve("talent/year=2025.json");
    Path outside = tempDir.resolve("outside.json");
    Files.move(talent, outside);
    Files.createSymbolicLink(talent, outside);
    assertThatThrownBy(() -> Snapshots.verify(snapshot))
        .hasMessageContaining("talent/year=2025.json, which lies outside the snapshot");
  }

  @Test
  void restore_rejectsNonEmptyTarget() throws Exception {
    Path snapshot = Snapshots.write(Map.of(), tempDir.resolve("b"), Instant.now());
    Path target = tempDir.resolve("target");
    Files.createDirectories(target.resolve("talent"));
    Files.writeString(target.resolve("talent/year=2024.json"), "[]");
    Path empty = tempDir.resolve("empty-target");

    assertThatThrownBy(() -> Snapshots.restore(snapshot, target))
        .hasMessageContaining("is not empty");
    assertThat(Snapshots.restore(snapshot, empty)).isZero();
    assertThat(Files.isRegularFile(empty.resolve(Snapshots.INDEX))).isTrue();
  }
}
