package io.scriptohio.gateway.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EloRatingsTest {

  private static final double TOLERANCE = 1e-6;

  private static GameRecord game(long id, String home, boolean homeFbs, String away, boolean awayFbs,
      boolean neutral, int homePoints, int awayPoints) {
    Instant kickoff = Instant.parse("2015-09-05T16:00:00Z").plusSeconds(id * 86_400);
    return new GameRecord(id, 2015, (int) id, "regular", kickoff, kickoff, home, away, homeFbs, awayFbs,
        neutral, true, homePoints, awayPoints);
  }

  @Test
  void update_handComputedSequence() {
    EloRatings elo = new EloRatings();
    elo.startSeason(true);

    // Game 1: A (1500) hosts B (1500), A wins 28-14.
    // edge = 1500 + 55 - 1500 = 55; expected = 1 / (1 + 10^(-55/400)) = 0.578497...
    // multiplier = ln(15) * 2.2 / (0.055 + 2.2) = 2.708050 * 0.975610 = 2.642000
    // shift = 25 * 2.642000 * (1 - 0.578497) = 27.8403
    elo.update(game(1, "A", true, "B", true, false, 28, 14));
    double expected1 = 1 / (1 + Math.pow(10, -55 / 400.0));
    double shift1 = 25 * Math.log(15) * 2.2 / (0.001 * 55 + 2.2) * (1 - expected1);
    assertThat(shift1).isCloseTo(27.8403, within(1e-3));
    assertThat(elo.rating("A", true)).isCloseTo(1500 + shift1, within(TOLERANCE));
    assertThat(elo.rating("B", true)).isCloseTo(1500 - shift1, within(TOLERANCE));

    // Game 2: B hosts A at a neutral site, B wins 21-20 (upset by one point).
    // edge (home B) = (1500 - s1) - (1500 + s1) = -2 s1 = -55.681; B is the winner, so the
    // winner edge is -55.681 and the multiplier = ln(2) * 2.2 / (-0.055681 + 2.2) = 0.711146
    // expected(B) = 1 / (1 + 10^(55.681/400)) = 0.420548; shift = 25 * 0.711146 * 0.579452 = 10.3019
    elo.update(game(2, "B", true, "A", true, true, 21, 20));
    double b = 1500 - shift1;
    double a = 1500 + shift1;
    double expected2 = 1 / (1 + Math.pow(10, -(b - a) / 400));
    double shift2 = 25 * Math.log(2) * 2.2 / (0.001 * (b - a) + 2.2) * (1 - expected2);
    assertThat(expected2).isCloseTo(0.420548, within(1e-5));
    assertThat(shift2).isCloseTo(10.3019, within(1e-3));
    assertThat(elo.rating("B", true)).isCloseTo(b + shift2, within(TOLERANCE));
    assertThat(elo.rating("A", true)).isCloseTo(a - shift2, within(TOLERANCE));

    // Game 3: A hosts FCS team F (fixed 1250) and loses 10-17. F stays at 1250.
    // A is now 1517.538, so edge = 1517.538 + 55 - 1250 = 322.538; expected(A) = 0.864910;
    // F won, so the winner edge is -322.538 and the multiplier = ln(8) * 2.2 / (2.2 - 0.322538)
    // = 2.079442 * 1.171790 = 2.436679; shift = 25 * 2.436679 * (0 - 0.864910) = -52.6877
    double aBefore = a - shift2;
    elo.update(game(3, "A", true, "F", false, false, 10, 17));
    double edge3 = aBefore + 55 - 1250;
    double expected3 = 1 / (1 + Math.pow(10, -edge3 / 400));
    double shift3 = 25 * Math.log(8) * 2.2 / (-0.001 * edge3 + 2.2) * (0 - expected3);
    assertThat(aBefore).isCloseTo(1517.538, within(1e-3));
    assertThat(shift3).isCloseTo(-52.6877, within(1e-3));
    assertThat(elo.rating("A", true)).isCloseTo(aBefore + shift3, within(TOLERANCE));
    assertThat(elo.rating("F", false)).isEqualTo(EloRatings.FCS_RATING);
  }

  @Test
  void startSeason_regressesAThirdAndRatesNewcomers() {
    EloRatings elo = new EloRatings();
    elo.startSeason(true);
    elo.update(game(1, "A", true, "B", true, false, 28, 14));
    double a = elo.rating("A", true);
    assertThat(elo.rating("New", true)).isEqualTo(EloRatings.MEAN_RATING);

    elo.startSeason(false);

    assertThat(elo.rating("A", true)).isCloseTo(1500 + (a - 1500) * 2 / 3, within(TOLERANCE));
    assertThat(elo.rating("New", true)).isEqualTo(EloRatings.NEWCOMER_RATING);
  }

  @Test
  void marginMultiplier_tieChangesNothing() {
    assertThat(EloRatings.marginMultiplier(0, 100)).isZero();
    assertThat(EloRatings.marginMultiplier(7, 0)).isCloseTo(Math.log(8), within(TOLERANCE));
  }
}
