package io.scriptohio.gateway.predictions;

import io.scriptohio.gateway.GatewayFailure;
import io.scriptohio.gateway.cache.CacheReply;
import io.scriptohio.gateway.cache.CacheStatus;
import io.scriptohio.gateway.cache.CacheVerticle;
import io.scriptohio.gateway.cache.CachedResponse;
import io.scriptohio.gateway.cache.Coalescer;
import io.scriptohio.gateway.cache.LocalCoalescer;
import io.scriptohio.gateway.cache.TtlPolicy;
import io.scriptohio.gateway.cfbd.CfbdDataSource;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.scriptohio.gateway.features.FeatureService;
import io.scriptohio.gateway.features.GameFeatures;
import io.scriptohio.gateway.features.MarketSpread;
import io.scriptohio.gateway.inference.MicroBatchVerticle;
import io.scriptohio.gateway.inference.ModelOutputs;
import io.scriptohio.gateway.inference.PredictionBatch;
import io.scriptohio.gateway.inference.PredictionRequest;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds prediction responses: features from {@link FeatureService}, outputs from the inference
 * micro-batcher, market lines from CFBD, and caches the encoded bodies.
 *
 * <p>A week's response is cached under a key made of the model versions and the ETags of the CFBD
 * responses it was built from (the season's games, advanced statistics and lines), so it is
 * rebuilt exactly when a model or one of those responses changes. Concurrent requests for the
 * same key share one build. Replies are {@link CacheReply}s with {@code HIT} or {@code MISS};
 * failures are {@link GatewayFailure}s. Deploy one instance.
 */
public final class PredictionVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PredictionVerticle.class);

  /** Request {@code {year, week, seasonType}}; reply the week's predictions. */
  public static final String WEEK_ADDRESS = "predictions.week";
  /** Request {@code {gameId}}; reply one game's prediction. */
  public static final String GAME_ADDRESS = "predictions.game";
  /** Request {@code {homeTeam, awayTeam, year, week, neutralSite}}; reply a hypothetical game. */
  public static final String MATCHUP_ADDRESS = "predictions.matchup";
  /** Request {@code {year, fromWeek, toWeek}}; reply evaluation metrics over completed games. */
  public static final String EVALUATION_ADDRESS = "predictions.evaluation";
  /** Request anything; reply the model manifest and load state. */
  public static final String MODELS_ADDRESS = "predictions.models";

  /** Week responses kept; a season has at most 20 weeks, and several seasons fit. */
  static final int MAX_CACHED_WEEKS = 256;
  /** Season feature sets kept; each is a few thousand small vectors. */
  static final int MAX_CACHED_SEASONS = 8;

  private final FeatureService features;
  private final CfbdDataSource data;
  private final ModelCatalog models;
  private final double threshold;
  private final boolean warmUp;
  private final Duration timeout;
  private final Clock clock;
  private final Cache<String, WeekResult> weeks =
      Caffeine.newBuilder().maximumSize(MAX_CACHED_WEEKS).build();
  private final Cache<String, Map<Long, GameFeatures>> seasons =
      Caffeine.newBuilder().maximumSize(MAX_CACHED_SEASONS).build();
  private final Cache<Long, JsonObject> gameWeeks =
      Caffeine.newBuilder().maximumSize(MAX_CACHED_WEEKS * 100L).build();
  private final Coalescer coalescer = new LocalCoalescer();
  private final RecentWeeks recentWeeks;
  private final AtomicLong builds = new AtomicLong();
  private final AtomicLong rejections = new AtomicLong();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  /**
   * @param data CFBD records through the gateway cache, for lines, game lookups and team names
   * @param threshold minimum fraction of features present for a prediction
   * @param warmUp whether to build the features of the current and previous season right after
   *     start, in the background
   * @param timeout how long inference and CFBD fetches may take
   * @param recentWeeks where served week responses are shared with the HTTP verticles
   */
  public PredictionVerticle(FeatureService features, CfbdDataSource data, ModelCatalog models,
      double threshold, boolean warmUp, Duration timeout, Clock clock, RecentWeeks recentWeeks) {
    this.recentWeeks = recentWeeks;
    this.features = features;
    this.data = data;
    this.models = models;
    this.threshold = threshold;
    this.warmUp = warmUp;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> registrations = new ArrayList<>();
    registrations.add(register(WEEK_ADDRESS, body -> {
      int year = body.getInteger("year");
      int week = body.getInteger("week");
      String seasonType = body.getString("seasonType");
      long checkedAt = clock.millis();
      return week(year, week, seasonType).map(result -> {
        recentWeeks.record(year, week, seasonType, result.reply(), checkedAt);
        return result.reply();
      });
    }));
    registrations.add(register(GAME_ADDRESS, body -> game(body.getLong("gameId"))));
    registrations.add(register(MATCHUP_ADDRESS, this::matchup));
    registrations.add(register(EVALUATION_ADDRESS, body -> evaluation(body.getInteger("year"),
        body.getInteger("fromWeek"), body.getInteger("toWeek"))));
    registrations.add(register(MODELS_ADDRESS, body -> modelsReply()));
    return Future.all(registrations).onSuccess(ignored -> {
      if (warmUp) {
        warmUp();
      }
    });
  }

  /**
   * Builds the features of the previous and the current season in the background. The first
   * build loads every season since 2014 for Elo, which takes seconds; afterwards a cold week
   * costs only its own season's replay.
   */
  private void warmUp() {
    int current = new TtlPolicy(Duration.ofHours(1), clock).currentSeason();
    long started = System.nanoTime();
    warmUpSeason(current - 1)
        .compose(previous -> warmUpSeason(current))
        .onSuccess(ignored -> LOG.info("Warmed up the features of seasons {} and {} in {} ms",
            current - 1, current, (System.nanoTime() - started) / 1_000_000))
        .onFailure(error -> LOG.warn("Feature warm-up failed ({}); the first prediction request "
            + "will load the history instead", GatewayFailure.from(error).detail()));
  }

  @Override
  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  /** Returns how many week responses were built (cache misses). */
  public long buildCount() {
    return builds.get();
  }

  /** Returns how many games were listed without a prediction because of missing features. */
  public long rejectionCount() {
    return rejections.get();
  }

  private Future<Void> register(String address, Function<JsonObject, Future<CacheReply>> handler) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, message -> {
      handler.apply(message.body()).onComplete(done -> {
        if (done.succeeded()) {
          message.reply(done.result());
        } else {
          GatewayFailure failure = GatewayFailure.from(done.cause() instanceof NoSuchElementException
              ? new GatewayFailure(404, "Not Found", done.cause().getMessage()) : done.cause());
          if (failure.status() >= 500) {
            LOG.error("{} failed for {}: {}", address, message.body().encode(), failure.detail(),
                done.cause() instanceof GatewayFailure ? null : done.cause());
          }
          failure.failMessage(message);
        }
      });
    });
    consumers.add(consumer);
    return consumer.completion();
  }

  /** Builds a season's features under the same key and coalescing as prediction requests. */
  private Future<List<GameFeatures>> warmUpSeason(int year) {
    return fingerprint(year, "regular")
        .compose(fingerprint -> weekFeatures(year, 1, "regular", fingerprint));
  }

  // ---- weeks

  private Future<WeekResult> week(int year, int week, String seasonType) {
    return fingerprint(year, seasonType).compose(fingerprint -> {
      String key = year + ":" + seasonType + ":" + week + ":" + models.version() + ":" + fingerprint;
      WeekResult cached = weeks.getIfPresent(key);
      if (cached != null) {
        return Future.succeededFuture(cached.as(CacheStatus.HIT));
      }
      return coalescer.coalesce(key, () -> buildWeek(year, week, seasonType, fingerprint).onSuccess(result -> {
        weeks.put(key, result);
        JsonObject where = new JsonObject().put("season", year).put("week", week)
            .put("seasonType", seasonType);
        for (Object game : result.json().getJsonArray("games")) {
          gameWeeks.put(((JsonObject) game).getLong("gameId"), where);
        }
      }));
    });
  }

  /**
   * Returns the ETags of the CFBD responses a week's features and lines come from. They are cache
   * lookups, so a cached week costs no upstream call.
   */
  private Future<String> fingerprint(int year, String seasonType) {
    String season = Integer.toString(year);
    List<CfbdRequest> inputs = List.of(
        CfbdRequest.of("games", "year", season, "seasonType", seasonType, "classification", "fbs"),
        CfbdRequest.of("stats/game/advanced", "year", season, "seasonType", seasonType),
        CfbdRequest.of("lines", "year", season, "seasonType", seasonType));
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    List<Future<CacheReply>> replies = new ArrayList<>();
    for (CfbdRequest input : inputs) {
      replies.add(vertx.eventBus().<CacheReply>request(CacheVerticle.ADDRESS, input, delivery)
          .map(Message::body));
    }
    return Future.all(replies).map(all -> {
      StringBuilder key = new StringBuilder();
      for (Future<CacheReply> reply : replies) {
        key.append(reply.result().response().etag());
      }
      return key.toString();
    });
  }

  private Future<WeekResult> buildWeek(int year, int week, String seasonType, String fingerprint) {
    builds.incrementAndGet();
    Future<List<GameFeatures>> games = weekFeatures(year, week, seasonType, fingerprint);
    Future<Map<Long, Double>> spreads = spreads(year, seasonType);
    return Future.all(games, spreads)
        .compose(all -> predict(games.result()).map(outputs -> {
          JsonArray items = new JsonArray();
          for (int i = 0; i < games.result().size(); i++) {
            GameFeatures game = games.result().get(i);
            items.add(gameJson(game, outputs.get(i), spreads.result().get(game.gameId())));
          }
          return new JsonObject()
              .put("year", year)
              .put("week", week)
              .put("seasonType", seasonType)
              .put("count", items.size())
              .put("modelVersions", models.modelVersions())
              .put("ensembleWeights", models.weights())
              .put("generatedAt", clock.instant().toString())
              .put("games", items);
        }))
        .compose(json -> vertx.executeBlocking(() -> WeekResult.of(json, clock.millis()), false));
  }

  /**
   * Returns the features of one week's games, from the season's features built once per version
   * of their CFBD inputs, so that the weeks of a season share one replay.
   *
   * <p>NOTE: the key contains the ETags of the requested season type's responses only. A week of the
   * regular season does not depend on postseason data, which comes later; a postseason week does
   * depend on the regular season, whose data no longer changes once the postseason starts.
   */
  private Future<List<GameFeatures>> weekFeatures(int year, int week, String seasonType,
      String fingerprint) {
    String key = year + ":" + fingerprint;
    Map<Long, GameFeatures> known = seasons.getIfPresent(key);
    Future<Map<Long, GameFeatures>> season = known != null ? Future.succeededFuture(known)
        : coalescer.coalesce("season:" + key, () -> features.season(year)
            .onSuccess(built -> seasons.put(key, built)));
    return season.map(all -> all.values().stream()
        .filter(game -> game.week() == week && game.seasonType().equals(seasonType))
        .toList());
  }

  private Future<Map<Long, Double>> spreads(int year, String seasonType) {
    CfbdRequest lines = CfbdRequest.of("lines", "year", Integer.toString(year), "seasonType", seasonType);
    return data.fetch(lines).map(MarketSpread::byGame);
  }

  /**
   * Runs the games that pass the data-quality threshold through the models in one request, and
   * returns one entry per game, null for a game without a prediction.
   */
  private Future<List<ModelOutputs>> predict(List<GameFeatures> games) {
    List<GameFeatures> eligible = new ArrayList<>();
    for (GameFeatures game : games) {
      if (game.qualityProblem(threshold).isEmpty()) {
        eligible.add(game);
      } else {
        rejections.incrementAndGet();
      }
    }
    if (eligible.isEmpty()) {
      List<ModelOutputs> none = new ArrayList<>();
      games.forEach(game -> none.add(null));
      return Future.succeededFuture(none);
    }

    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return vertx.eventBus()
        .<PredictionBatch>request(MicroBatchVerticle.ADDRESS, PredictionRequest.of(eligible), delivery)
        .map(message -> {
          List<ModelOutputs> outputs = message.body().outputs();
          Map<GameFeatures, ModelOutputs> byGame = new HashMap<>();
          for (int i = 0; i < eligible.size(); i++) {
            byGame.put(eligible.get(i), outputs.get(i));
          }
          List<ModelOutputs> aligned = new ArrayList<>();
          games.forEach(game -> aligned.add(byGame.get(game)));
          return aligned;
        });
  }

  private JsonObject gameJson(GameFeatures game, ModelOutputs outputs, Double spread) {
    String rejection = game.qualityProblem(threshold).orElse(null);
    return GameJson.build(game, outputs, rejection, spread, threshold);
  }

  // ---- single game

  private Future<CacheReply> game(long gameId) {
    return locate(gameId).compose(record -> {
      return week(record.getInteger("season"), record.getInteger("week"),
          record.getString("seasonType")).compose(result -> {
            for (Object item : result.json().getJsonArray("games")) {
              JsonObject game = (JsonObject) item;
              if (game.getLong("gameId") == gameId) {
                JsonObject single = game.copy()
                    .put("modelVersions", models.modelVersions())
                    .put("ensembleWeights", models.weights());
                return Future.succeededFuture(reply(single, result.reply().status()));
              }
            }
            return Future.failedFuture(new GatewayFailure(404, "Not Found", "Game " + gameId
                + " is not an FBS game the gateway predicts"));
          });
    });
  }

  /**
   * Returns the season, week and season type of a game: from the weeks built so far, else from
   * CFBD's {@code /games?id=}.
   */
  private Future<JsonObject> locate(long gameId) {
    JsonObject known = gameWeeks.getIfPresent(gameId);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return data.fetch(CfbdRequest.of("games", "id", Long.toString(gameId))).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new GatewayFailure(404, "Not Found",
            "No CFBD game with id " + gameId));
      }
      return Future.succeededFuture(found.getJsonObject(0));
    });
  }

  // ---- matchup

  private Future<CacheReply> matchup(JsonObject body) {
    int year = body.getInteger("year");
    int week = body.getInteger("week");
    boolean neutral = body.getBoolean("neutralSite", false);
    return fbsTeams(year).compose(teams -> {
      JsonArray invalid = new JsonArray();
      Optional<String> home = resolveTeam(teams, "homeTeam", body.getString("homeTeam"), invalid);
      Optional<String> away = resolveTeam(teams, "awayTeam", body.getString("awayTeam"), invalid);
      if (!invalid.isEmpty()) {
        String detail = String.join("; ", invalid.stream()
            .map(item -> ((JsonObject) item).getString("detail")).toList());
        invalid.forEach(item -> ((JsonObject) item).remove("detail"));
        return Future.failedFuture(new GatewayFailure(400, "Bad Request", detail, -1, invalid));
      }
      if (home.get().equals(away.get())) {
        return Future.failedFuture(new GatewayFailure(400, "Bad Request",
            "homeTeam and awayTeam are both '" + home.get() + "'; name two different teams"));
      }
      return features.matchup(home.get(), away.get(), year, week, neutral)
          .compose(game -> predict(List.of(game)).map(outputs -> {
            JsonObject json = gameJson(game, outputs.get(0), null)
                .put("hypothetical", true)
                .put("modelVersions", models.modelVersions())
                .put("ensembleWeights", models.weights());
            json.remove("gameId");
            // The features are computed as of the week's first kickoff, but no game is scheduled.
            json.remove("kickoff");
            return reply(json, CacheStatus.MISS);
          }));
    });
  }

  private static Optional<String> resolveTeam(Set<String> teams, String field, String name,
      JsonArray invalid) {
    Optional<String> found = TeamNames.find(teams, name);
    if (found.isEmpty()) {
      String reason = "an FBS team of that season; did you mean "
          + String.join(", ", TeamNames.suggest(teams, name)) + "?";
      invalid.add(new JsonObject()
          .put("name", field)
          .put("value", name)
          .put("reason", reason)
          .put("detail", field + " '" + name + "' is not " + reason));
    }
    return found;
  }

  /** Returns the FBS teams of a season, or of the season before when CFBD has no games yet. */
  private Future<Set<String>> fbsTeams(int year) {
    return teamsOf(year).compose(teams -> teams.isEmpty() ? teamsOf(year - 1)
        : Future.succeededFuture(teams));
  }

  private Future<Set<String>> teamsOf(int year) {
    CfbdRequest games = CfbdRequest.of("games", "year", Integer.toString(year), "seasonType",
        "regular", "classification", "fbs");
    return data.fetch(games).map(records -> {
      Set<String> teams = new TreeSet<>();
      for (Object item : records) {
        JsonObject game = (JsonObject) item;
        if ("fbs".equals(game.getString("homeClassification"))) {
          teams.add(game.getString("homeTeam"));
        }
        if ("fbs".equals(game.getString("awayClassification"))) {
          teams.add(game.getString("awayTeam"));
        }
      }
      return teams;
    });
  }

  // ---- evaluation

  private Future<CacheReply> evaluation(int year, int fromWeek, int toWeek) {
    List<Future<WeekResult>> results = new ArrayList<>();
    for (int week = fromWeek; week <= toWeek; week++) {
      results.add(week(year, week, "regular"));
    }
    return Future.all(results).map(all -> {
      Evaluation evaluation = new Evaluation(models);
      for (Future<WeekResult> result : results) {
        for (Object game : result.result().json().getJsonArray("games")) {
          evaluation.add((JsonObject) game);
        }
      }
      JsonObject json = evaluation.toJson()
          .put("inTrainingSeasons", models.trainingSeasons().contains(year))
          .put("year", year)
          .put("fromWeek", fromWeek)
          .put("toWeek", toWeek)
          .put("seasonType", "regular")
          .put("modelVersions", models.modelVersions());
      return reply(json, CacheStatus.MISS);
    });
  }

  // ---- models

  private Future<CacheReply> modelsReply() {
    JsonObject json = new JsonObject()
        .put("modelVersions", models.modelVersions())
        .put("states", models.states().get())
        .put("manifest", models.manifest());
    return Future.succeededFuture(reply(json, CacheStatus.MISS));
  }

  private CacheReply reply(JsonObject json, CacheStatus status) {
    Buffer body = json.toBuffer();
    return new CacheReply(CachedResponse.create(body, clock.millis(), 0, false), status);
  }

  /** A week's response: the JSON for lookups and its encoded body for serving. */
  record WeekResult(JsonObject json, CacheReply reply) {

    static WeekResult of(JsonObject json, long nowMillis) {
      CachedResponse response = CachedResponse.create(json.toBuffer(), nowMillis, 0, false);
      return new WeekResult(json, new CacheReply(response, CacheStatus.MISS));
    }

    WeekResult as(CacheStatus status) {
      return new WeekResult(json, new CacheReply(reply.response(), status));
    }
  }
}
