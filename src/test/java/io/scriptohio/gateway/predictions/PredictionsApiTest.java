package io.scriptohio.gateway.predictions;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptohio.gateway.support.DataPack;
import io.scriptohio.gateway.support.GatewayHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The predictions API end to end: CFBD stand-in serving the data pack, the real ONNX models,
 * real HTTP.
 */
@ExtendWith(VertxExtension.class)
class PredictionsApiTest {

  /** Where the weekly predictions and the evaluation are written for the Python cross-check. */
  static final Path EXPORT_DIR = Paths.get("build", "e2e");

  private WebClient client;
  private GatewayHarness harness;

  @BeforeEach
  void setUp(Vertx vertx) {
    client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(256));
    harness = new GatewayHarness(vertx).start();
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(harness.apiPort(), "127.0.0.1", path).send().await();
  }

  private static JsonArray storedWeek(int week) throws Exception {
    Path file = DataPack.cfbd().resolve("games/year=2025&week=" + week
        + "&seasonType=regular&classification=fbs.json");
    return new JsonArray(Files.readString(file));
  }

  @Test
  void week_everyGameOfWeek12() throws Exception {
    HttpResponse<Buffer> response = get("/api/v1/predictions?year=2025&week=12");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("X-Cache")).isEqualTo("MISS");
    assertThat(response.getHeader("ETag")).isNotBlank();
    JsonObject body = response.bodyAsJsonObject();
    JsonArray games = body.getJsonArray("games");
    JsonArray stored = storedWeek(12);
    Map<Long, JsonObject> storedById = new HashMap<>();
    stored.forEach(item -> storedById.put(((JsonObject) item).getLong("id"), (JsonObject) item));

    assertThat(games.size()).isEqualTo(stored.size());
    assertThat(body.getInteger("count")).isEqualTo(stored.size());
    for (Object item : games) {
      JsonObject game = (JsonObject) item;
      JsonObject record = storedById.get(game.getLong("gameId"));
      assertThat(record).as("game %s is in the stored week", game.getLong("gameId")).isNotNull();
      assertThat(game.getString("homeTeam")).isEqualTo(record.getString("homeTeam"));
      assertThat(game.getBoolean("completed")).isTrue();
      JsonObject result = game.getJsonObject("result");
      assertThat(result.getInteger("homePoints")).isEqualTo(record.getInteger("homePoints"));
      assertThat(result.getInteger("awayPoints")).isEqualTo(record.getInteger("awayPoints"));
      if ("predicted".equals(game.getString("status"))) {
        assertThat(game.getDouble("homeWinProbability")).isBetween(0.0, 1.0);
        assertThat(Double.isFinite(game.getDouble("predictedMargin"))).isTrue();
        assertThat(game.getJsonObject("models").getJsonObject("xgb_win")
            .getDouble("homeWinProbability")).isBetween(0.0, 1.0);
      } else {
        assertThat(game.getString("reason")).contains("missing");
      }
    }
    long predicted = games.stream().filter(g -> "predicted".equals(((JsonObject) g).getString("status"))).count();
    assertThat(predicted).isGreaterThan(games.size() * 9L / 10);
    assertThat(body.getJsonObject("modelVersions").getString("ensemble")).isNotBlank();
  }

  @Test
  void week_scheduledWeek13Predicted() throws Exception {
    JsonObject body = get("/api/v1/predictions?year=2025&week=13").bodyAsJsonObject();

    JsonArray games = body.getJsonArray("games");
    Set<Long> storedIds = storedWeek(13).stream().map(g -> ((JsonObject) g).getLong("id"))
        .collect(Collectors.toSet());
    Set<Long> servedIds = games.stream().map(g -> ((JsonObject) g).getLong("gameId"))
        .collect(Collectors.toSet());
    assertThat(servedIds).isEqualTo(storedIds);
    for (Object item : games) {
      JsonObject game = (JsonObject) item;
      assertThat(game.getBoolean("completed")).isFalse();
      assertThat(game.containsKey("result")).isFalse();
    }
    long predicted = games.stream().filter(g -> "predicted".equals(((JsonObject) g).getString("status"))).count();
    assertThat(predicted).isGreaterThan(games.size() * 9L / 10);
  }

  @Test
  void week_cachedCostsNoUpstreamNoInference() {
    HttpResponse<Buffer> first = get("/api/v1/predictions?year=2025&week=11");
    long calls = harness.standIn().totalCalls();
    long batches = harness.gateway().inference().batcher().batchCount();
    long builds = harness.gateway().predictionVerticle().buildCount();

    HttpResponse<Buffer> second = get("/api/v1/predictions?year=2025&week=11");

    assertThat(second.getHeader("X-Cache")).isEqualTo("HIT");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(harness.standIn().totalCalls()).isEqualTo(calls);
    assertThat(harness.gateway().inference().batcher().batchCount()).isEqualTo(batches);
    assertThat(harness.gateway().predictionVerticle().buildCount()).isEqualTo(builds);
  }

  @Test
  void week_coldUnderConcurrencyFetchesEachInputOnce() {
    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      responses.add(client.get(harness.apiPort(), "127.0.0.1", "/api/v1/predictions?year=2025&week=10").send());
    }
    Future.all(responses).await();

    Buffer first = responses.get(0).result().body();
    assertThat(responses).allSatisfy(r -> {
      assertThat(r.result().statusCode()).isEqualTo(200);
      assertThat(r.result().body()).isEqualTo(first);
    });
    Map<String, Long> calls = harness.standIn().callsByKey();
    assertThat(calls.values()).allMatch(count -> count == 1L);
    assertThat(calls.keySet()).contains(
        "games?classification=fbs&seasonType=regular&year=2025",
        "stats/game/advanced?seasonType=regular&year=2025",
        "lines?seasonType=regular&year=2025",
        "talent?year=2025");
    assertThat(harness.gateway().predictionVerticle().buildCount()).isEqualTo(1);
  }

  @Test
  void week_unknownWeekEmpty() {
    HttpResponse<Buffer> response = get("/api/v1/predictions?year=2025&week=20");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("games")).isEmpty();
  }

  @Test
  void week_invalidParameters() {
    long calls = harness.standIn().totalCalls();

    HttpResponse<Buffer> response = get("/api/v1/predictions?year=1999&week=0&seasonType=spring");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonArray invalid = response.bodyAsJsonObject().getJsonArray("invalidParams");
    assertThat(invalid.stream().map(p -> ((JsonObject) p).getString("name")))
        .containsExactlyInAnyOrder("year", "week", "seasonType");
    assertThat(harness.standIn().totalCalls()).isEqualTo(calls);
  }

  @Test
  void game_matchesWeekEntry() {
    JsonObject week = get("/api/v1/predictions?year=2025&week=12").bodyAsJsonObject();
    JsonObject expected = week.getJsonArray("games").getJsonObject(0);

    HttpResponse<Buffer> response = get("/api/v1/predictions/" + expected.getLong("gameId"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject game = response.bodyAsJsonObject();
    assertThat(game.getLong("gameId")).isEqualTo(expected.getLong("gameId"));
    assertThat(game.getValue("homeWinProbability")).isEqualTo(expected.getValue("homeWinProbability"));
    assertThat(game.getJsonObject("modelVersions")).isEqualTo(week.getJsonObject("modelVersions"));
  }

  @Test
  void game_badAndUnknownIds() {
    HttpResponse<Buffer> notNumeric = get("/api/v1/predictions/abc");
    HttpResponse<Buffer> unknown = get("/api/v1/predictions/999999999");

    assertThat(notNumeric.statusCode()).isEqualTo(400);
    assertThat(notNumeric.bodyAsJsonObject().getString("detail")).contains("'abc'");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("detail")).contains("999999999");
  }

  @Test
  void matchup_predictsHypotheticalGame() {
    JsonObject request = new JsonObject().put("homeTeam", "ohio state").put("awayTeam", "Michigan")
        .put("year", 2025).put("week", 13).put("neutralSite", false);

    HttpResponse<Buffer> response = client.post(harness.apiPort(), "127.0.0.1",
        "/api/v1/predictions/matchup").sendJsonObject(request).await();

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("homeTeam")).isEqualTo("Ohio State");
    assertThat(body.getString("awayTeam")).isEqualTo("Michigan");
    assertThat(body.getBoolean("hypothetical")).isTrue();
    assertThat(body.getDouble("homeWinProbability")).isBetween(0.5, 1.0);
    assertThat(body.getDouble("predictedMargin")).isPositive();
    assertThat(body.containsKey("kickoff")).isFalse();
  }

  @Test
  void matchup_unknownTeamSuggests() {
    JsonObject request = new JsonObject().put("homeTeam", "Ohio St").put("awayTeam", "Michigan")
        .put("year", 2025).put("week", 13);

    HttpResponse<Buffer> response = client.post(harness.apiPort(), "127.0.0.1",
        "/api/v1/predictions/matchup").sendJsonObject(request).await();

    assertThat(response.statusCode()).isEqualTo(400);
    String detail = response.bodyAsJsonObject().getString("detail");
    assertThat(detail).contains("homeTeam 'Ohio St'").contains("Ohio State");
    JsonObject invalid = response.bodyAsJsonObject().getJsonArray("invalidParams").getJsonObject(0);
    assertThat(invalid.getString("name")).isEqualTo("homeTeam");
    assertThat(invalid.getString("value")).isEqualTo("Ohio St");
  }

  @Test
  void matchup_invalidBody() {
    HttpResponse<Buffer> notJson = client.post(harness.apiPort(), "127.0.0.1",
        "/api/v1/predictions/matchup").sendBuffer(Buffer.buffer("{oops")).await();
    HttpResponse<Buffer> badFields = client.post(harness.apiPort(), "127.0.0.1",
        "/api/v1/predictions/matchup").sendJsonObject(new JsonObject().put("homeTeam", "Ohio State")
        .put("year", "2025").put("week", 30)).await();

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(badFields.statusCode()).isEqualTo(400);
    assertThat(badFields.bodyAsJsonObject().getJsonArray("invalidParams").stream()
        .map(p -> ((JsonObject) p).getString("name")))
        .containsExactlyInAnyOrder("awayTeam", "year", "week");
  }

  @Test
  void models_listsLoadedModels() {
    JsonObject body = get("/api/v1/models").bodyAsJsonObject();

    assertThat(body.getJsonObject("modelVersions").fieldNames())
        .contains("ridge_margin", "xgb_win", "mlp_win", "ensemble");
    assertThat(body.getJsonArray("states")).hasSize(3);
    assertThat(body.getJsonArray("states").stream().allMatch(s -> ((JsonObject) s).getBoolean("loaded")))
        .isTrue();
    assertThat(body.getJsonObject("manifest").getJsonArray("features")).hasSize(37);
  }

  /**
   * Writes the predictions of weeks 1 to 12 and the gateway's evaluation of them to
   * {@code build/e2e/}; the Python test suite recomputes the metrics from those predictions and
   * compares them with the evaluation.
   */
  @Test
  void evaluation_exportedForPythonCheck() throws Exception {
    JsonArray weeks = new JsonArray();
    for (int week = 1; week <= 12; week++) {
      weeks.add(get("/api/v1/predictions?year=2025&week=" + week).bodyAsJsonObject());
    }
    HttpResponse<Buffer> response = get("/api/v1/evaluation?year=2025&fromWeek=1&toWeek=12");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject evaluation = response.bodyAsJsonObject();
    JsonObject ensemble = evaluation.getJsonObject("models").getJsonObject("ensemble");
    assertThat(ensemble.getInteger("games")).isGreaterThan(700);
    assertThat(ensemble.getDouble("accuracy")).isBetween(0.6, 0.9);
    assertThat(ensemble.getDouble("brier")).isBetween(0.1, 0.25);
    assertThat(evaluation.getJsonObject("market").getInteger("games")).isGreaterThan(700);

    Files.createDirectories(EXPORT_DIR);
    Files.writeString(EXPORT_DIR.resolve("predictions-2025-weeks-1-12.json"), weeks.encode());
    Files.writeString(EXPORT_DIR.resolve("evaluation-2025-weeks-1-12.json"), evaluation.encode());
  }

  @Test
  void evaluation_invalidRange() {
    HttpResponse<Buffer> response = get("/api/v1/evaluation?year=2025&fromWeek=9&toWeek=3");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("toWeek '3'");
  }
}
