package io.scriptohio.gateway.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSchemaTest {

  @Test
  void names_uniqueSnakeCaseAndSmall() {
    assertThat(new HashSet<>(FeatureSchema.NAMES)).hasSize(FeatureSchema.NAMES.size());
    assertThat(FeatureSchema.NAMES).allMatch(name -> name.matches("[a-z][a-z0-9_]*"));
    assertThat(FeatureSchema.NAMES.size()).isBetween(20, 40);
    assertThat(FeatureSchema.NAMES).contains("elo_diff", "talent_diff", "neutral_site", "home_off_ppa");
  }

  @Test
  void firstMismatch_equalLists() {
    assertThat(FeatureSchema.firstMismatch(FeatureSchema.NAMES)).isEmpty();
  }

  @Test
  void firstMismatch_unknownAndMissingNames() {
    List<String> renamed = new ArrayList<>(FeatureSchema.NAMES);
    renamed.set(3, "home_bye_week");
    assertThat(FeatureSchema.firstMismatch(renamed)).hasValueSatisfying(
        message -> assertThat(message).contains("feature 3", "home_bye_week", FeatureSchema.NAMES.get(3)));

    List<String> longer = new ArrayList<>(FeatureSchema.NAMES);
    longer.add("weather_wind");
    assertThat(FeatureSchema.firstMismatch(longer)).hasValueSatisfying(
        message -> assertThat(message).contains("weather_wind", "does not produce"));

    List<String> shorter = FeatureSchema.NAMES.subList(0, FeatureSchema.NAMES.size() - 1);
    assertThat(FeatureSchema.firstMismatch(shorter)).hasValueSatisfying(
        message -> assertThat(message).contains("lacks", FeatureSchema.NAMES.get(FeatureSchema.NAMES.size() - 1)));
  }
}
