package io.scriptohio.gateway.cfbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scriptohio.gateway.support.DataPack;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CfbdStandInTest {

  private static final String KEY = "key-one";
  private static final String WEEK_1 = "/games?year=2024&week=1&seasonType=regular&classification=fbs";

  private static SnapshotStore store;

  private CfbdStandIn standIn;
  private WebClient client;

  @BeforeAll
  static void openStore() {
    store = SnapshotStore.open(DataPack.cfbd());
  }

  @BeforeEach
  void startStandIn(Vertx vertx) {
    standIn = new CfbdStandIn(vertx, store).keys(KEY, "key-two");
    standIn.start().await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(standIn.port()));
  }

  @AfterEach
  void closeStandIn() {
    client.close();
    standIn.close().await();
  }

  @Test
  void auth_missingOrMalformedHeader() {
    HttpResponse<Buffer> missing = client.get(WEEK_1).send().await();
    HttpResponse<Buffer> noBearer = client.get(WEEK_1).putHeader("Authorization", KEY).send().await();

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.bodyAsJsonObject().getString("message"))
        .startsWith("Unauthorized. Did you forget to add \"Bearer \" before your key?");
    assertThat(missing.getHeader(CfbdStandIn.CALL_LIMIT_HEADER)).isNull();
    assertThat(noBearer.statusCode()).isEqualTo(401);
    assertThat(noBearer.bodyAsJsonObject().getString("message")).isEqualTo(CfbdStandIn.MISSING_KEY_MESSAGE);
  }

  @Test
  void auth_unknownKey() {
    HttpResponse<Buffer> response = get(WEEK_1, "key-three");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("message", "Unauthorized"));
  }

  @Test
  void auth_patreonEndpoint() {
    HttpResponse<Buffer> response = get("/wepa/team/season?year=2024", KEY);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject().getString("message"))
        .isEqualTo("Unauthorized. This endpoint requires a Patreon subscription at Tier 1 or higher.");
  }

  @Test
  void quota_countdownThen429() {
    Instant reset = Instant.parse("2030-01-01T00:00:00Z");
    standIn.quota(2).resetAt(reset);

    HttpResponse<Buffer> first = get(WEEK_1, KEY);
    HttpResponse<Buffer> infoAfterOne = get("/info", KEY);
    HttpResponse<Buffer> second = get(WEEK_1, KEY);
    HttpResponse<Buffer> third = get(WEEK_1, KEY);
    HttpResponse<Buffer> otherKey = get(WEEK_1, "key-two");
    HttpResponse<Buffer> info = get("/info", KEY);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader(CfbdStandIn.CALL_LIMIT_HEADER)).isEqualTo("1");
    assertThat(infoAfterOne.bodyAsJsonObject().getLong("remainingCalls")).isEqualTo(1L);
    assertThat(infoAfterOne.getHeader(CfbdStandIn.CALL_LIMIT_HEADER)).isEqualTo("1");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.getHeader(CfbdStandIn.CALL_LIMIT_HEADER)).isEqualTo("0");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.bodyAsJsonObject().getString("message")).isEqualTo("Monthly call quota exceeded.");
    assertThat(third.getHeader(CfbdStandIn.CALL_LIMIT_HEADER)).isEqualTo("0");
    assertThat(otherKey.statusCode()).isEqualTo(200);
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("patronLevel", 0)
        .put("remainingCalls", 0)
        .put("monthlyLimit", 2)
        .put("resetAt", "2030-01-01T00:00:00Z"));
  }

  @Test
  void get_unknownQueryAndEndpoint() {
    standIn.quota(5);

    HttpResponse<Buffer> noMatch = get("/games?year=2024&week=30", KEY);
    HttpResponse<Buffer> noFiles = get("/recruiting/players?year=2024", KEY);

    assertThat(noMatch.statusCode()).isEqualTo(200);
    assertThat(noMatch.bodyAsString()).isEqualTo("[]");
    assertThat(noMatch.getHeader(CfbdStandIn.CALL_LIMIT_HEADER)).isEqualTo("4");
    assertThat(noFiles.statusCode()).isEqualTo(404);
    assertThat(noFiles.bodyAsJsonObject().getString("message")).isEqualTo("Not Found");
    assertThat(noFiles.getHeader(CfbdStandIn.CALL_LIMIT_HEADER)).isEqualTo("4");
  }

  @Test
  void latency_delaysResponse() {
    standIn.latencyMillis(200);

    long start = System.nanoTime();
    HttpResponse<Buffer> response = get(WEEK_1, KEY);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(200);
  }

  @Test
  void faults_consumedInOrder() {
    standIn.enqueue(Fault.status(503), Fault.malformedJson(), Fault.reset(), Fault.truncatedJson(),
        Fault.quotaExceeded(), Fault.unauthorized(), Fault.timeout());

    HttpResponse<Buffer> unavailable = get(WEEK_1, KEY);
    HttpResponse<Buffer> malformed = get(WEEK_1, KEY);
    Throwable reset = failure(request(WEEK_1, KEY));
    HttpResponse<Buffer> truncated = get(WEEK_1, KEY);
    HttpResponse<Buffer> quota = get(WEEK_1, KEY);
    HttpResponse<Buffer> unauthorized = get(WEEK_1, KEY);
    Throwable timedOut = failure(request(WEEK_1, KEY).timeout(300));
    HttpResponse<Buffer> normal = get(WEEK_1, KEY);

    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.bodyAsJsonObject().getString("message")).isEqualTo("Service Unavailable");
    assertThat(malformed.statusCode()).isEqualTo(200);
    assertThatThrownBy(malformed::bodyAsJsonArray).isInstanceOf(DecodeException.class);
    assertThat(reset).isInstanceOf(HttpClosedException.class);
    assertThat(truncated.statusCode()).isEqualTo(200);
    assertThatThrownBy(truncated::bodyAsJsonArray).isInstanceOf(DecodeException.class);
    assertThat(quota.statusCode()).isEqualTo(429);
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(timedOut).isInstanceOf(TimeoutException.class);
    assertThat(normal.statusCode()).isEqualTo(200);
    assertThat(normal.body()).isEqualTo(store.body(CfbdRequest.parse("games", WEEK_1.substring(7))).get());
  }

  @Test
  void failAll_untilRecover() {
    standIn.failAll(Fault.status(502));

    HttpResponse<Buffer> first = get(WEEK_1, KEY);
    HttpResponse<Buffer> info = get("/info", KEY);
    standIn.recover();
    HttpResponse<Buffer> recovered = get(WEEK_1, KEY);

    assertThat(first.statusCode()).isEqualTo(502);
    assertThat(info.statusCode()).isEqualTo(502);
    assertThat(recovered.statusCode()).isEqualTo(200);
  }

  @Test
  void counters_perKeyAndReset() {
    get(WEEK_1, KEY);
    get("/games?classification=fbs&seasonType=regular&week=1&year=2024", KEY);
    get("/talent?year=2024", "key-three");
    get("/info", KEY);
    String week1Key = CfbdRequest.parse("games", WEEK_1.substring(7)).cacheKey();

    List<Long> arrivals = standIn.arrivalNanos();

    assertThat(standIn.totalCalls()).isEqualTo(3);
    assertThat(standIn.calls(week1Key)).isEqualTo(2);
    assertThat(standIn.calls("talent?year=2024")).isEqualTo(1);
    assertThat(standIn.callsByKey()).hasSize(2);
    assertThat(arrivals).hasSize(3);
    assertThat(arrivals).isSorted();

    standIn.resetCounters();

    assertThat(standIn.totalCalls()).isZero();
    assertThat(standIn.calls(week1Key)).isZero();
    assertThat(standIn.arrivalNanos()).isEmpty();
  }

  @Test
  void get_wholeSeasonMatchesStore() {
    String query = "year=2024&seasonType=regular&classification=fbs";

    HttpResponse<Buffer> response = get("/games?" + query, KEY);
    JsonArray expected = store.records(CfbdRequest.parse("games", query));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonArray().size()).isEqualTo(expected.size());
    assertThat(response.bodyAsJsonArray()).isEqualTo(expected);
  }

  private HttpRequest<Buffer> request(String uri, String key) {
    return client.get(uri).bearerTokenAuthentication(key);
  }

  private HttpResponse<Buffer> get(String uri, String key) {
    return request(uri, key).send().await();
  }

  private static Throwable failure(HttpRequest<Buffer> request) {
    try {
      request.send().await();
      return null;
    } catch (Exception e) {
      // await() rethrows checked failures such as the client's TimeoutException unchanged.
      return e;
    }
  }
}
