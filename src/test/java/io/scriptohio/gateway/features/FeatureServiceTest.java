package io.scriptohio.gateway.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptohio.gateway.cfbd.CfbdDataSource;
import io.scriptohio.gateway.cfbd.CfbdRequest;
import io.scriptohio.gateway.cfbd.SnapshotDataSource;
import io.scriptohio.gateway.cfbd.SnapshotStore;
import io.scriptohio.gateway.support.DataPack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class FeatureServiceTest {

  /** FBS games per 2025 week in the data pack, weeks 1 to 12. */
  private static final int[] GAMES_2025 = {96, 83, 70, 62, 53, 51, 56, 60, 53, 52, 52, 59};

  private final AtomicInteger calls = new AtomicInteger();
  private FeatureService service;

  @BeforeEach
  void createService(Vertx vertx) {
    CfbdDataSource snapshot = new SnapshotDataSource(vertx, SnapshotStore.open(DataPack.cfbd()));
    CfbdDataSource counting = (CfbdRequest request) -> {
      calls.incrementAndGet();
      return snapshot.fetch(request);
    };
    service = new FeatureService(vertx, counting);
  }

  @Test
  void week_every2025WeekBuilds(VertxTestContext context) {
    List<Future<List<GameFeatures>>> weeks = new ArrayList<>();
    for (int week = 1; week <= 12; week++) {
      weeks.add(service.week(2025, week, "regular"));
    }
    Future.all(weeks).onComplete(context.succeeding(all -> context.verify(() -> {
      List<String> lowQuality = new ArrayList<>();
      for (int week = 1; week <= 12; week++) {
        List<GameFeatures> games = weeks.get(week - 1).result();
        assertThat(games).as("week %d", week).hasSize(GAMES_2025[week - 1]);
        for (GameFeatures game : games) {
          assertThat(game.values()).hasSize(FeatureSchema.NAMES.size());
          assertThat(game.completed()).isTrue();
          assertThat(game.week()).isEqualTo(week);
          assertThat(game.missing()).as("missing features of game %d", game.gameId())
              .allMatch(FeatureSchema.NAMES::contains);
        }
        for (GameFeatures game : games) {
          if (game.qualityProblem(FeatureSchema.DEFAULT_DATA_QUALITY_THRESHOLD).isPresent()) {
            lowQuality.add(game.awayTeam() + " at " + game.homeTeam());
          }
        }
      }
      // FCS teams whose earlier games were all against FCS teams have no statistics in the FBS
      // game list, so their first game against an FBS team is rejected rather than imputed.
      assertThat(lowQuality).containsExactlyInAnyOrder("Delaware State at Delaware", "Alabama State at UAB",
          "Bryant at New Mexico State", "Incarnate Word at UTSA", "Southern at Fresno State");
      context.completeNow();
    })));
  }

  @Test
  void game_sameAsWeekAndMemoised(VertxTestContext context) {
    service.week(2024, 10, "regular")
        .compose(week -> service.game(week.get(0).gameId(), 2024).map(game -> List.of(week.get(0), game)))
        .onComplete(context.succeeding(pair -> context.verify(() -> {
          assertThat(pair.get(1).values()).containsExactly(pair.get(0).values());
          assertThat(pair.get(1).homeTeam()).isEqualTo(pair.get(0).homeTeam());
          int spent = calls.get();

          service.game(pair.get(0).gameId(), 2024).onComplete(context.succeeding(again -> context.verify(() -> {
            // 2024 is finished, so the second request is served from memory.
            assertThat(calls.get()).isEqualTo(spent);
            assertThat(again).isSameAs(pair.get(1));
            context.completeNow();
          })));
        })));
  }

  @Test
  void game_unknownIdFails(VertxTestContext context) {
    service.game(123L, 2025).onComplete(context.failing(error -> context.verify(() -> {
      assertThat(error).isInstanceOf(NoSuchElementException.class).hasMessageContaining("123");
      context.completeNow();
    })));
  }

  @Test
  void matchup_equalsWeek13FixtureButRest(VertxTestContext context) {
    service.week(2025, 13, "regular")
        .compose(fixtures -> {
          GameFeatures fixture = fixtures.get(0);
          return service.matchup(fixture.homeTeam(), fixture.awayTeam(), 2025, 13, fixture.neutral())
              .map(matchup -> List.of(fixture, matchup));
        })
        .onComplete(context.succeeding(pair -> context.verify(() -> {
          GameFeatures fixture = pair.get(0);
          GameFeatures matchup = pair.get(1);
          assertThat(fixture.completed()).isFalse();
          assertThat(matchup.gameId()).isZero();
          for (String name : FeatureSchema.NAMES) {
            if (name.endsWith("rest_days")) {
              continue;
            }
            assertThat(matchup.value(name)).as(name).isEqualTo(fixture.value(name));
          }
          context.completeNow();
        })));
  }

  @Test
  void matchup_unknownTeamReported(VertxTestContext context) {
    service.matchup("Ohio State", "Springfield Atoms", 2025, 10, false)
        .onComplete(context.succeeding(matchup -> context.verify(() -> {
          assertThat(matchup.missing()).contains(FeatureSchema.AWAY_OFF_PPA, FeatureSchema.AWAY_DEF_PPA);
          assertThat(matchup.value(FeatureSchema.AWAY_TALENT_MISSING)).isEqualTo(1f);
          assertThat(matchup.value(FeatureSchema.AWAY_ELO)).isEqualTo((float) EloRatings.FCS_RATING);
          assertThat(matchup.qualityProblem(FeatureSchema.DEFAULT_DATA_QUALITY_THRESHOLD))
              .hasValueSatisfying(reason -> assertThat(reason).contains("away_off_ppa"));
          context.completeNow();
        })));
  }
}
