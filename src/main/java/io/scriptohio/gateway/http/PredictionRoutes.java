package io.scriptohio.gateway.http;

import io.scriptohio.gateway.cache.CacheReply;
import io.scriptohio.gateway.features.FeatureService;
import io.scriptohio.gateway.predictions.PredictionVerticle;
import io.scriptohio.gateway.predictions.RecentWeeks;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The predictions API: validates each request before anything is fetched, forwards it to
 * {@link PredictionVerticle} and writes the cached body with {@code ETag}, {@code Cache-Control}
 * and {@code X-Cache}.
 *
 * <ul>
 *   <li>{@code GET /api/v1/predictions?year&week[&seasonType]}
 *   <li>{@code GET /api/v1/predictions/{gameId}}
 *   <li>{@code POST /api/v1/predictions/matchup}
 *   <li>{@code GET /api/v1/models}
 *   <li>{@code GET /api/v1/evaluation?year[&fromWeek][&toWeek]}
 * </ul>
 */
public final class PredictionRoutes {

  /**
   * Predictions change whenever CFBD data does, so clients revalidate every time; a matching
   * {@code If-None-Match} costs a 304 without a body.
   */
  static final String CACHE_CONTROL = "public, no-cache";
  static final String MATCHUP_PATH = "/api/v1/predictions/matchup";
  /** A matchup body is a handful of short fields. */
  static final long MAX_BODY_BYTES = 4096;
  private static final Set<String> SEASON_TYPES = Set.of("regular", "postseason");
  private static final Pattern GAME_ID = Pattern.compile("[0-9]{1,12}");
  private static final Pattern TEAM = Pattern.compile("[\\p{L}\\p{N} .&'()\\-]{1,100}");

  private final EventBus eventBus;
  private final CfbdParameters parameters;
  private final DeliveryOptions delivery;
  private final Clock clock;
  private final RecentWeeks recentWeeks;

  /**
   * @param recentWeeks week responses checked recently, served here without a round trip to
   *     {@link PredictionVerticle}; null to always forward to it
   */
  public PredictionRoutes(EventBus eventBus, Duration timeout, Clock clock, RecentWeeks recentWeeks) {
    this.recentWeeks = recentWeeks;
    this.eventBus = eventBus;
    this.parameters = new CfbdParameters(clock);
    // One second past the request timeout, so that the timeout handler always responds first.
    this.delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis() + 1000);
    this.clock = clock;
  }

  /** Adds the routes to {@code router}. */
  public void mount(Router router) {
    router.route("/api/v1/predictions").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(this::week);
    router.post(MATCHUP_PATH)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::matchup);
    router.route("/api/v1/predictions/:gameId").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(this::game);
    router.route("/api/v1/models").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(this::models);
    router.route("/api/v1/evaluation").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(this::evaluation);
  }

  private void week(RoutingContext context) {
    List<InvalidParameter> invalid = new ArrayList<>();
    Map<String, String> query = query(context, Set.of("year", "week", "seasonType"), invalid);
    Integer year = intParam(query, "year", FeatureService.FIRST_STATS_SEASON, parameters.maxYear(),
        true, invalid);
    Integer week = intParam(query, "week", 1, CfbdParameters.MAX_WEEK, true, invalid);
    String seasonType = query.getOrDefault("seasonType", "regular");
    if (!SEASON_TYPES.contains(seasonType)) {
      invalid.add(new InvalidParameter("seasonType", seasonType, "regular or postseason"));
    }
    if (!invalid.isEmpty()) {
      Problems.badRequest(context, invalid);
      return;
    }

    CacheReply recent = recentWeeks == null ? null
        : recentWeeks.find(year, week, seasonType, clock.millis());
    if (recent != null) {
      CachedResponses.write(context, recent, CACHE_CONTROL, clock);
      return;
    }
    JsonObject request = new JsonObject().put("year", year).put("week", week)
        .put("seasonType", seasonType);
    forward(context, PredictionVerticle.WEEK_ADDRESS, request, CACHE_CONTROL);
  }

  private void game(RoutingContext context) {
    String gameId = context.pathParam("gameId");
    if (gameId.equals("matchup")) {
      // The matchup path also matches this route; only its own method is allowed there.
      context.fail(405);
      return;
    }
    List<InvalidParameter> invalid = new ArrayList<>();
    query(context, Set.of(), invalid);
    if (!GAME_ID.matcher(gameId).matches()) {
      invalid.add(new InvalidParameter("gameId", gameId, "a numeric CFBD game id of 1 to 12 digits"));
    }
    if (!invalid.isEmpty()) {
      Problems.badRequest(context, invalid);
      return;
    }
    forward(context, PredictionVerticle.GAME_ADDRESS,
        new JsonObject().put("gameId", Long.parseLong(gameId)), CACHE_CONTROL);
  }

  private void models(RoutingContext context) {
    List<InvalidParameter> invalid = new ArrayList<>();
    query(context, Set.of(), invalid);
    if (!invalid.isEmpty()) {
      Problems.badRequest(context, invalid);
      return;
    }
    forward(context, PredictionVerticle.MODELS_ADDRESS, new JsonObject(), "no-cache");
  }

  private void matchup(RoutingContext context) {
    JsonObject body;
    try {
      body = context.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      Problems.badRequest(context, List.of(new InvalidParameter("body", "(not a JSON object)",
          "a JSON object {\"homeTeam\", \"awayTeam\", \"year\", \"week\", \"neutralSite\"}")));
      return;
    }
    if (body == null) {
      body = new JsonObject();
    }

    List<InvalidParameter> invalid = new ArrayList<>();
    for (String name : body.fieldNames()) {
      if (!Set.of("homeTeam", "awayTeam", "year", "week", "neutralSite").contains(name)) {
        invalid.add(new InvalidParameter(name, String.valueOf(body.getValue(name)),
            "not a field of a matchup; accepted: homeTeam, awayTeam, year, week, neutralSite"));
      }
    }
    String home = teamField(body, "homeTeam", invalid);
    String away = teamField(body, "awayTeam", invalid);
    Integer year = intField(body, "year", FeatureService.FIRST_STATS_SEASON, parameters.maxYear(),
        invalid);
    Integer week = intField(body, "week", 1, CfbdParameters.MAX_WEEK, invalid);
    Object neutral = body.getValue("neutralSite", false);
    if (!(neutral instanceof Boolean)) {
      invalid.add(new InvalidParameter("neutralSite", String.valueOf(neutral), "true or false"));
    }
    if (!invalid.isEmpty()) {
      Problems.badRequest(context, invalid);
      return;
    }

    JsonObject request = new JsonObject().put("homeTeam", home).put("awayTeam", away)
        .put("year", year).put("week", week).put("neutralSite", neutral);
    forward(context, PredictionVerticle.MATCHUP_ADDRESS, request, "no-cache");
  }

  private void evaluation(RoutingContext context) {
    List<InvalidParameter> invalid = new ArrayList<>();
    Map<String, String> query = query(context, Set.of("year", "fromWeek", "toWeek"), invalid);
    Integer year = intParam(query, "year", FeatureService.FIRST_STATS_SEASON, parameters.maxYear(),
        true, invalid);
    Integer from = intParam(query, "fromWeek", 1, CfbdParameters.MAX_WEEK, false, invalid);
    Integer to = intParam(query, "toWeek", 1, CfbdParameters.MAX_WEEK, false, invalid);
    int fromWeek = from == null ? 1 : from;
    int toWeek = to == null ? CfbdParameters.MAX_WEEK : to;
    if (invalid.isEmpty() && fromWeek > toWeek) {
      invalid.add(new InvalidParameter("toWeek", Integer.toString(toWeek),
          "at least fromWeek (" + fromWeek + ")"));
    }
    if (!invalid.isEmpty()) {
      Problems.badRequest(context, invalid);
      return;
    }

    JsonObject request = new JsonObject().put("year", year).put("fromWeek", fromWeek)
        .put("toWeek", toWeek);
    forward(context, PredictionVerticle.EVALUATION_ADDRESS, request, CACHE_CONTROL);
  }

  private void forward(RoutingContext context, String address, JsonObject request,
      String cacheControl) {
    eventBus.<CacheReply>request(address, request, delivery)
        .map(Message::body)
        .onSuccess(reply -> CachedResponses.write(context, reply, cacheControl, clock))
        .onFailure(context::fail);
  }

  private static Map<String, String> query(RoutingContext context, Set<String> accepted,
      List<InvalidParameter> invalid) {
    Map<String, String> query = new TreeMap<>();
    for (String name : context.queryParams().names()) {
      List<String> values = context.queryParams().getAll(name);
      if (!accepted.contains(name)) {
        invalid.add(new InvalidParameter(name, values.get(0), "not a parameter of "
            + context.request().path() + (accepted.isEmpty() ? "; it takes no query parameters"
        : "; accepted: " + String.join(", ", accepted.stream().sorted().toList()))));
      } else if (values.size() > 1) {
        invalid.add(new InvalidParameter(name, String.join(",", values), "give it once"));
      }
      query.put(name, values.get(0));
    }
    return query;
  }

  private static Integer intParam(Map<String, String> query, String name, int min, int max,
      boolean required, List<InvalidParameter> invalid) {
    String value = query.get(name);
    if (value == null) {
      if (required) {
        invalid.add(new InvalidParameter(name, null, "an integer from " + min + " to " + max));
      }
      return null;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below with the accepted range.
    }
    invalid.add(new InvalidParameter(name, value, "an integer from " + min + " to " + max));
    return null;
  }

  private static Integer intField(JsonObject body, String name, int min, int max,
      List<InvalidParameter> invalid) {
    Object value = body.getValue(name);
    if (value instanceof Integer && (Integer) value >= min && (Integer) value <= max) {
      return (Integer) value;
    }
    invalid.add(new InvalidParameter(name, value == null ? null : String.valueOf(value),
        "a JSON number, an integer from " + min + " to " + max));
    return null;
  }

  private static String teamField(JsonObject body, String name, List<InvalidParameter> invalid) {
    Object value = body.getValue(name);
    if (value instanceof String && TEAM.matcher((String) value).matches()) {
      return (String) value;
    }
    invalid.add(new InvalidParameter(name, value == null ? null : String.valueOf(value),
        "a team name of 1 to 100 letters, digits, spaces or . & ' ( ) -"));
    return null;
  }
}
