package io.scriptohio.gateway.cfbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptohio.gateway.support.DataPack;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SnapshotStoreTest {

  private static final String WEEK_12_2025 = "year=2025&week=12&seasonType=regular&classification=fbs";

  private static SnapshotStore fixture;

  @BeforeAll
  static void openFixture() throws URISyntaxException {
    fixture = SnapshotStore.open(Paths.get(SnapshotStoreTest.class.getResource("/snapshot-fixture").toURI()));
  }

  @Test
  void body_exactFileUntouched() throws IOException {
    SnapshotStore store = SnapshotStore.open(DataPack.cfbd());
    byte[] stored = Files.readAllBytes(DataPack.cfbd().resolve("games/" + WEEK_12_2025 + ".json"));

    Optional<Buffer> body = store.body(CfbdRequest.parse("/games", WEEK_12_2025));
    Optional<Buffer> reordered = store.body(
        CfbdRequest.parse("games", "classification=fbs&seasonType=regular&week=12&year=2025"));

    assertThat(body).isPresent();
    assertThat(body.get().getBytes()).isEqualTo(stored);
    assertThat(reordered.get().getBytes()).isEqualTo(stored);
  }

  @Test
  void records_wholeSeasonUnionOfWeekFiles() throws IOException {
    SnapshotStore store = SnapshotStore.open(DataPack.cfbd());
    JsonArray index = new JsonObject(Files.readString(DataPack.cfbd().resolve("INDEX.json"))).getJsonArray("files");
    List<JsonObject> weekFiles = new ArrayList<>();
    for (Object entry : index) {
      JsonObject file = (JsonObject) entry;
      JsonObject query = file.getJsonObject("query");
      if (file.getString("endpoint").equals("/games") && query.getInteger("year") == 2024
          && "regular".equals(query.getString("seasonType"))) {
        weekFiles.add(file);
      }
    }
    weekFiles.sort(Comparator.comparing(file -> file.getJsonObject("query").getInteger("week")));
    int indexedRecords = weekFiles.stream().mapToInt(file -> file.getInteger("records")).sum();
    List<Long> weekIds = new ArrayList<>();
    for (JsonObject file : weekFiles) {
      JsonArray records = new JsonArray(Buffer.buffer(Files.readAllBytes(DataPack.cfbd().resolve(file.getString("file")))));
      records.forEach(record -> weekIds.add(((JsonObject) record).getLong("id")));
    }

    JsonArray season = store.records(CfbdRequest.of("games", "year", "2024", "seasonType", "regular",
        "classification", "fbs"));
    List<Long> seasonIds = new ArrayList<>();
    season.forEach(record -> seasonIds.add(((JsonObject) record).getLong("id")));

    assertThat(weekFiles).hasSize(16);
    assertThat(season.size()).isEqualTo(indexedRecords);
    assertThat(seasonIds).containsExactlyElementsOf(weekIds);
    assertThat(new HashSet<>(seasonIds)).hasSize(seasonIds.size());
  }

  @Test
  void records_teamFilterWithinWeek() {
    SnapshotStore store = SnapshotStore.open(DataPack.cfbd());

    JsonArray games = store.records(CfbdRequest.of("games", "year", "2025", "week", "12", "team", "Ohio State"));
    JsonArray lowerCase = store.records(CfbdRequest.of("games", "year", "2025", "week", "12", "team", "ohio state"));

    assertThat(games.size()).isEqualTo(1);
    JsonObject game = games.getJsonObject(0);
    assertThat(game.getString("homeTeam")).isEqualTo("Ohio State");
    assertThat(game.getString("awayTeam")).isEqualTo("UCLA");
    assertThat(game.getInteger("week")).isEqualTo(12);
    assertThat(lowerCase).isEqualTo(games);
  }

  @Test
  void body_unknownWeekEmptyArray() {
    SnapshotStore store = SnapshotStore.open(DataPack.cfbd());

    Optional<Buffer> body = store.body(CfbdRequest.of("games", "year", "2025", "week", "20", "seasonType", "regular"));

    assertThat(body).isPresent();
    assertThat(body.get().toString()).isEqualTo("[]");
  }

  @Test
  void records_advancedStatsSeasonOfOneTeam() throws IOException {
    SnapshotStore store = SnapshotStore.open(DataPack.cfbd());
    int expected = 0;
    try (var files = Files.list(DataPack.cfbd().resolve("stats/game/advanced"))) {
      for (Path file : files.filter(path -> path.getFileName().toString().startsWith("year=2024&")).toList()) {
        JsonArray records = new JsonArray(Buffer.buffer(Files.readAllBytes(file)));
        for (Object record : records) {
          if (((JsonObject) record).getString("team").equals("Alabama")) {
            expected++;
          }
        }
      }
    }

    JsonArray stats = store.records(CfbdRequest.of("stats/game/advanced", "year", "2024", "team", "Alabama"));

    assertThat(expected).isEqualTo(13);
    assertThat(stats.size()).isEqualTo(expected);
    for (Object record : stats) {
      assertThat(((JsonObject) record).getString("team")).isEqualTo("Alabama");
      assertThat(((JsonObject) record).getInteger("season")).isEqualTo(2024);
    }
    assertThat(stats.getJsonObject(stats.size() - 1).getString("seasonType")).isEqualTo("postseason");
  }

  @Test
  void body_endpointWithoutFiles() {
    SnapshotStore store = SnapshotStore.open(DataPack.cfbd());

    assertThat(store.body(CfbdRequest.of("recruiting/players", "year", "2025"))).isEmpty();
    assertThat(store.records(CfbdRequest.of("recruiting/players", "year", "2025"))).isEmpty();
    assertThat(store.covers("recruiting/players")).isFalse();
    assertThat(store.covers("/stats/game/advanced")).isTrue();
  }

  @Test
  void open_missingDirectory() {
    Path missing = Paths.get("target", "no-such-snapshot");

    assertThatThrownBy(() -> SnapshotStore.open(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toAbsolutePath().normalize().toString());
  }

  @Test
  void open_skipsUnparseableNames() {
    assertThat(fixture.endpoints()).containsExactly("games", "ratings/elo");

    List<Long> ids = ids(fixture.records(CfbdRequest.of("games", "year", "2030", "week", "1")));

    assertThat(ids).containsExactly(1L, 2L);
  }

  @Test
  void body_paramOrderInsensitive() throws IOException {
    byte[] stored = Files.readAllBytes(fixture.root().resolve("games/seasonType=regular&year=2030&week=2.json"));

    Optional<Buffer> body = fixture.body(CfbdRequest.parse("games", "week=2&year=2030&seasonType=regular"));

    assertThat(body.get().getBytes()).isEqualTo(stored);
  }

  @Test
  void records_unionWithoutDuplicates() {
    List<Long> season = ids(fixture.records(CfbdRequest.of("games", "year", "2030", "seasonType", "regular")));
    List<Long> alpha = ids(fixture.records(CfbdRequest.of("games", "year", "2030", "team", "alpha")));

    assertThat(season).containsExactly(1L, 2L, 3L);
    assertThat(alpha).containsExactly(1L, 3L);
  }

  @Test
  void records_contradictingFileExcluded() {
    // The team=Alpha file contains game 3, but its team contradicts the request.
    List<Long> beta = ids(fixture.records(CfbdRequest.of("games", "year", "2030", "team", "Beta")));
    List<Long> otherYear = ids(fixture.records(CfbdRequest.of("games", "year", "2031", "team", "Alpha")));

    assertThat(beta).containsExactly(1L);
    assertThat(otherYear).isEmpty();
  }

  @Test
  void records_conferenceAndClassification() {
    List<Long> bigTen = ids(fixture.records(CfbdRequest.of("games", "year", "2030", "week", "1", "conference", "b1g")));
    List<Long> fcs = ids(fixture.records(CfbdRequest.of("games", "year", "2030", "classification", "fcs")));
    List<Long> both = ids(fixture.records(CfbdRequest.of("games", "year", "2030", "seasonType", "both", "id", "3")));

    assertThat(bigTen).containsExactly(1L, 2L);
    assertThat(fcs).containsExactly(2L);
    assertThat(both).containsExactly(3L);
  }

  @Test
  void records_unfilteredEndpointExactOnly() {
    JsonArray exact = fixture.records(CfbdRequest.of("ratings/elo", "year", "2030", "week", "5"));
    JsonArray partial = fixture.records(CfbdRequest.of("ratings/elo", "year", "2030"));
    Optional<Buffer> partialBody = fixture.body(CfbdRequest.of("ratings/elo", "year", "2030"));

    assertThat(exact.size()).isEqualTo(1);
    assertThat(exact.getJsonObject(0).getInteger("elo")).isEqualTo(1600);
    assertThat(partial).isEmpty();
    assertThat(partialBody.get().toString()).isEqualTo("[]");
  }

  private static List<Long> ids(JsonArray records) {
    List<Long> ids = new ArrayList<>();
    records.forEach(record -> ids.add(((JsonObject) record).getLong("id")));
    return ids;
  }
}
