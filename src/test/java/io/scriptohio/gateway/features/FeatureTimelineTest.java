package io.scriptohio.gateway.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FeatureTimelineTest {

  private static FeatureInputs inputs;
  private static Map<Long, GameFeatures> full;

  @BeforeAll
  static void load() {
    inputs = PackInputs.load(2023, 2025);
    full = FeatureTimeline.build(inputs, game -> true);
  }

  private static List<GameRecord> sample(int count, long seed) {
    List<GameRecord> games = new ArrayList<>(inputs.games());
    games.removeIf(game -> game.season() < 2024 || !game.hasResult());
    games.sort(Comparator.comparingLong(GameRecord::id));
    Random random = new Random(seed);
    List<GameRecord> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(games.get(random.nextInt(games.size())));
    }
    return picked;
  }

  @Test
  void build_recordsFromKickoffOnDeletedSameValues() {
    for (GameRecord target : sample(25, 20_251_115L)) {
      FeatureInputs before = inputs.filterGames(game -> game.order().isBefore(target.order()));
      before.addGame(target.asFixture());

      GameFeatures truncated = FeatureTimeline.build(before, game -> game.id() == target.id()).get(target.id());

      assertThat(truncated.values())
          .as("features of game %d (%s at %s)", target.id(), target.awayTeam(), target.homeTeam())
          .containsExactly(full.get(target.id()).values());
      assertThat(truncated.missing()).isEqualTo(full.get(target.id()).missing());
    }
  }

  @Test
  void build_laterScoreChangesNoEarlierGame() {
    GameRecord late = inputs.games().stream()
        .filter(game -> game.season() == 2024 && game.week() == 8 && game.hasResult())
        .min(Comparator.comparingLong(GameRecord::id))
        .orElseThrow();
    FeatureInputs changed = inputs.filterGames(game -> true);
    changed.addGame(new GameRecord(late.id(), late.season(), late.week(), late.seasonType(), late.kickoff(),
        late.order(), late.homeTeam(), late.awayTeam(), late.homeFbs(), late.awayFbs(), late.neutral(), true,
        late.awayPoints() + 35, late.homePoints()));

    Map<Long, GameFeatures> rebuilt = FeatureTimeline.build(changed, game -> true);

    int earlier = 0;
    int laterChanged = 0;
    for (GameRecord game : inputs.games()) {
      boolean same = Arrays.equals(rebuilt.get(game.id()).values(), full.get(game.id()).values());
      if (!game.order().isAfter(late.order())) {
        assertThat(same).as("game %d before the changed game", game.id()).isTrue();
        earlier++;
      } else if (!same) {
        laterChanged++;
      }
    }
    assertThat(earlier).isGreaterThan(1000);
    // The changed result must reach later games, or this test could not fail.
    assertThat(laterChanged).isGreaterThan(0);
  }

  @Test
  void build_fixturesOfWeek13UseWeek12Data() {
    List<GameFeatures> week13 = full.values().stream()
        .filter(features -> features.season() == 2025 && features.week() == 13)
        .toList();

    assertThat(week13).hasSize(64);
    assertThat(week13).allSatisfy(features -> {
      assertThat(features.completed()).isFalse();
      assertThat(features.presentFraction()).isGreaterThan(0.9);
    });
  }

  @Test
  void build_week1UsesPriors() {
    GameFeatures opener = full.values().stream()
        .filter(features -> features.season() == 2025 && features.week() == 1
            && "Ohio State".equals(features.homeTeam()))
        .findFirst()
        .orElseThrow();

    assertThat(opener.missing()).isEmpty();
    assertThat(opener.value(FeatureSchema.HOME_SEASON_OPENER)).isEqualTo(1f);
    assertThat(opener.value(FeatureSchema.HOME_REST_DAYS)).isEqualTo((float) FeatureTimeline.MAX_REST_DAYS);
    assertThat(opener.value(FeatureSchema.HOME_OFF_PPA)).isFinite();
  }
}
