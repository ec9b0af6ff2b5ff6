package io.scriptohio.gateway.features;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Names and order of the game feature vector, fixed in this one place for both the training
 * table export and the serving path.
 *
 * <p>Every name is snake_case. Difference features are home minus away. The training code copies
 * the names from the CSV header into the model manifest, and the inference code checks that
 * manifest with {@link #firstMismatch(List)} before it loads a model.
 */
public final class FeatureSchema {

  /** Version of the names, order and definitions; bump it whenever any of them changes. */
  public static final String VERSION = "1";

  /** Minimum share of present features below which no prediction is made, unless configured. */
  public static final double DEFAULT_DATA_QUALITY_THRESHOLD = 0.95;

  public static final String NEUTRAL_SITE = "neutral_site";
  public static final String HOME_REST_DAYS = "home_rest_days";
  public static final String AWAY_REST_DAYS = "away_rest_days";
  public static final String HOME_SEASON_OPENER = "home_season_opener";
  public static final String AWAY_SEASON_OPENER = "away_season_opener";
  public static final String HOME_ELO = "home_elo";
  public static final String AWAY_ELO = "away_elo";
  public static final String ELO_DIFF = "elo_diff";
  public static final String TALENT_DIFF = "talent_diff";
  public static final String HOME_TALENT_MISSING = "home_talent_missing";
  public static final String AWAY_TALENT_MISSING = "away_talent_missing";
  public static final String HOME_OFF_PPA = "home_off_ppa";
  public static final String HOME_DEF_PPA = "home_def_ppa";
  public static final String AWAY_OFF_PPA = "away_off_ppa";
  public static final String AWAY_DEF_PPA = "away_def_ppa";

  /** Feature names in vector order. */
  public static final List<String> NAMES = buildNames();

  private FeatureSchema() {
  }

  /** Returns the position of a feature in the vector, or -1 when the schema has no such name. */
  public static int indexOf(String name) {
    return NAMES.indexOf(name);
  }

  /**
   * Compares the feature list of a model manifest with this schema.
   *
   * @param manifestNames the feature names the model was trained on, in input order
   * @return empty when the lists are equal, else a message naming the first difference
   */
  public static Optional<String> firstMismatch(List<String> manifestNames) {
    int common = Math.min(manifestNames.size(), NAMES.size());
    for (int i = 0; i < common; i++) {
      if (!NAMES.get(i).equals(manifestNames.get(i))) {
        return Optional.of("feature " + i + " is '" + manifestNames.get(i) + "' in the model manifest but '"
            + NAMES.get(i) + "' in feature schema " + VERSION);
      }
    }
    if (manifestNames.size() > NAMES.size()) {
      return Optional.of("the model manifest lists feature '" + manifestNames.get(common)
          + "', which feature schema " + VERSION + " does not produce");
    }
    if (manifestNames.size() < NAMES.size()) {
      return Optional.of("the model manifest lacks feature '" + NAMES.get(common)
          + "' of feature schema " + VERSION);
    }
    return Optional.empty();
  }

  /** Returns the name of an offense-minus-offense difference, e.g. {@code off_ppa_diff}. */
  static String offenseDiffName(AdvancedMetric metric) {
    return "off_" + metric.featureName() + "_diff";
  }

  /** Returns the name of a defense-minus-defense difference, e.g. {@code def_ppa_diff}. */
  static String defenseDiffName(AdvancedMetric metric) {
    return "def_" + metric.featureName() + "_diff";
  }

  private static List<String> buildNames() {
    List<String> names = new ArrayList<>(List.of(
        NEUTRAL_SITE,
        HOME_REST_DAYS, AWAY_REST_DAYS, HOME_SEASON_OPENER, AWAY_SEASON_OPENER,
        HOME_ELO, AWAY_ELO, ELO_DIFF,
        TALENT_DIFF, HOME_TALENT_MISSING, AWAY_TALENT_MISSING,
        HOME_OFF_PPA, HOME_DEF_PPA, AWAY_OFF_PPA, AWAY_DEF_PPA));
    for (AdvancedMetric metric : AdvancedMetric.values()) {
      names.add(offenseDiffName(metric));
    }
    for (AdvancedMetric metric : AdvancedMetric.values()) {
      names.add(defenseDiffName(metric));
    }
    return Collections.unmodifiableList(names);
  }
}
