package io.scriptohio.gateway.features;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.scriptohio.gateway.cfbd.CfbdDataSource;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds point-in-time game features from CFBD records, the same way for serving and for the
 * training table.
 *
 * <p>Features of season Y need the games of every season since {@link #FIRST_SEASON} (for Elo),
 * the advanced statistics of seasons Y-1 and Y (priors and season-to-date averages) and the
 * talent of Y. Whole seasons are fetched, one call per season type, to save upstream quota.
 * Responses and features of finished seasons are kept in memory, at most
 * {@link #MAX_MEMOISED_SEASONS} seasons each. The replay runs in {@code executeBlocking}.
 *
 * <p>Methods may be called from any thread; the futures complete on a Vert.x context. A game that
 * does not exist fails the future with {@link NoSuchElementException}.
 */
public final class FeatureService {

  private static final Logger LOG = LoggerFactory.getLogger(FeatureService.class);

  /** First season of results in the data; Elo starts here. */
  public static final int FIRST_SEASON = 2014;

  /** First season for which CFBD has per-game advanced statistics. */
  public static final int FIRST_STATS_SEASON = 2016;

  /** First season for which CFBD has a talent table. */
  public static final int FIRST_TALENT_SEASON = 2015;

  /** Seasons whose responses (and, separately, features) stay in memory: all seasons of the data and a few more. */
  static final int MAX_MEMOISED_SEASONS = 16;

  private final Vertx vertx;
  private final CfbdDataSource source;
  private final Cache<Integer, SeasonRecords> finishedRecords =
      Caffeine.newBuilder().maximumSize(MAX_MEMOISED_SEASONS).build();
  private final Cache<Integer, Map<Long, GameFeatures>> finishedFeatures =
      Caffeine.newBuilder().maximumSize(MAX_MEMOISED_SEASONS).build();

  public FeatureService(Vertx vertx, CfbdDataSource source) {
    this.vertx = vertx;
    this.source = source;
  }

  /**
   * Returns the features of every game of one week, finished or not, in kickoff order.
   *
   * @param seasonType {@code regular} or {@code postseason} (postseason games are week 1)
   * @return an empty list when CFBD lists no game for that week
   */
  public Future<List<GameFeatures>> week(int year, int week, String seasonType) {
    return season(year).map(features -> features.values().stream()
        .filter(game -> game.week() == week && game.seasonType().equals(seasonType))
        .toList());
  }

  /**
   * Returns the features of one game of a season.
   *
   * @return a future failed with {@link NoSuchElementException} when the season has no such game
   */
  public Future<GameFeatures> game(long gameId, int year) {
    return season(year).compose(features -> {
      GameFeatures game = features.get(gameId);
      return game != null
          ? Future.succeededFuture(game)
          : Future.failedFuture(new NoSuchElementException("game " + gameId + " not found in season " + year));
    });
  }

  /**
   * Returns the features of a hypothetical game played just before the first kickoff of a week,
   * from all games completed before then. The result has game id 0, {@code completed = false}.
   *
   * @param home CFBD name of the home team (either team at a neutral site)
   * @param week regular-season week
   */
  public Future<GameFeatures> matchup(String home, String away, int year, int week, boolean neutral) {
    return inputs(year).compose(inputs -> vertx.executeBlocking(() -> {
      GameRecord game = hypotheticalGame(inputs, home, away, year, week, neutral);
      inputs.addGame(game);
      return FeatureTimeline.build(inputs, candidate -> candidate.id() == game.id()).get(game.id());
    }, false));
  }

  /**
   * Returns the features of every game of a season, keyed by game id in kickoff order. A finished
   * season is computed once and kept.
   */
  public Future<Map<Long, GameFeatures>> season(int year) {
    Map<Long, GameFeatures> known = finishedFeatures.getIfPresent(year);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return inputs(year).compose(inputs -> vertx.executeBlocking(() -> {
      long started = System.nanoTime();
      Map<Long, GameFeatures> features = FeatureTimeline.build(inputs, game -> game.season() == year);
      LOG.debug("Built features of {} games of {} in {} ms", features.size(), year,
          (System.nanoTime() - started) / 1_000_000);
      return Collections.unmodifiableMap(features);
    }, false)).onSuccess(features -> {
      // Features of a finished season depend only on finished seasons, so they can no longer change.
      if (finishedRecords.getIfPresent(year) != null) {
        finishedFeatures.put(year, features);
      }
    });
  }

  /** Fetches and decodes the records that features of a season need. */
  Future<FeatureInputs> inputs(int year) {
    return inputs(year, year);
  }

  /**
   * Fetches and decodes the records that features of seasons {@code from} to {@code to} need: games
   * since {@link #FIRST_SEASON}, statistics from {@code from - 1} (for the priors) and talent from
   * {@code from}.
   */
  Future<FeatureInputs> inputs(int from, int to) {
    List<Future<SeasonRecords>> seasons = new ArrayList<>();
    for (int year = FIRST_SEASON; year <= to; year++) {
      seasons.add(records(year, year >= from - 1, year >= from));
    }
    return Future.all(seasons).compose(all -> vertx.executeBlocking(() -> {
      FeatureInputs inputs = new FeatureInputs();
      for (int i = 0; i < seasons.size(); i++) {
        SeasonRecords records = all.resultAt(i);
        records.addTo(inputs);
      }
      return inputs;
    }, false));
  }

  private Future<SeasonRecords> records(int year, boolean withStats, boolean withTalent) {
    boolean needStats = withStats && year >= FIRST_STATS_SEASON;
    boolean needTalent = withTalent && year >= FIRST_TALENT_SEASON;
    SeasonRecords known = finishedRecords.getIfPresent(year);
    if (known != null && (!needStats || known.advancedStats() != null) && (!needTalent || known.talent() != null)) {
      return Future.succeededFuture(known);
    }

    Future<JsonArray> regular = source.fetch(gamesRequest(year, "regular"));
    Future<JsonArray> postseason = source.fetch(gamesRequest(year, "postseason"));
    Future<JsonArray> stats = needStats ? fetchBoth(statsRequest(year, "regular"), statsRequest(year, "postseason"))
        : Future.succeededFuture(null);
    Future<JsonArray> talent = needTalent ? source.fetch(CfbdRequest.of("talent", "year", Integer.toString(year)))
        : Future.succeededFuture(null);

    return Future.all(regular, postseason, stats, talent).map(all -> {
      JsonArray games = regular.result().copy().addAll(postseason.result());
      SeasonRecords records = new SeasonRecords(year, games, stats.result(), talent.result());
      if (records.isFinished()) {
        finishedRecords.put(year, known == null ? records : known.merge(records));
      }
      return records;
    });
  }

  private Future<JsonArray> fetchBoth(CfbdRequest first, CfbdRequest second) {
    Future<JsonArray> one = source.fetch(first);
    Future<JsonArray> two = source.fetch(second);
    return Future.all(one, two).map(all -> one.result().copy().addAll(two.result()));
  }

  /** Returns the whole-season {@code /games} request of one season type, FBS games only. */
  static CfbdRequest gamesRequest(int year, String seasonType) {
    return CfbdRequest.of("games", "year", Integer.toString(year), "seasonType", seasonType, "classification", "fbs");
  }

  /** Returns the whole-season {@code /stats/game/advanced} request of one season type. */
  static CfbdRequest statsRequest(int year, String seasonType) {
    return CfbdRequest.of("stats/game/advanced", "year", Integer.toString(year), "seasonType", seasonType);
  }

  /**
   * Places a hypothetical game at the first kickoff of the week, or one hour after the season's
   * last known game when CFBD lists no game for that week. A team counts as FBS when it played as
   * FBS in this or the previous season.
   */
  private static GameRecord hypotheticalGame(FeatureInputs inputs, String home, String away, int year, int week,
      boolean neutral) {
    Instant kickoff = inputs.games().stream()
        .filter(game -> game.season() == year && game.week() == week && "regular".equals(game.seasonType()))
        .map(GameRecord::order)
        .min(Comparator.naturalOrder())
        .orElseGet(() -> inputs.games().stream()
            .filter(game -> game.season() == year)
            .map(GameRecord::order)
            .max(Comparator.naturalOrder())
            .map(last -> last.plusSeconds(3600))
            .orElse(LocalDate.of(year, 8, 20).atStartOfDay().toInstant(ZoneOffset.UTC)));
    return new GameRecord(0, year, week, "regular", kickoff, kickoff, home, away,
        playedAsFbs(inputs, home, year), playedAsFbs(inputs, away, year), neutral, false, null, null);
  }

  private static boolean playedAsFbs(FeatureInputs inputs, String team, int year) {
    for (GameRecord game : inputs.games()) {
      if (game.season() < year - 1 || game.season() > year) {
        continue;
      }
      if ((game.homeFbs() && team.equals(game.homeTeam())) || (game.awayFbs() && team.equals(game.awayTeam()))) {
        return true;
      }
    }
    return false;
  }
}
