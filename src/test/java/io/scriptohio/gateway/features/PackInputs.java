package io.scriptohio.gateway.features;

import io.scriptohio.gateway.support.DataPack;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads feature inputs for a range of seasons straight from the stored CFBD responses of the data pack. */
final class PackInputs {

  private PackInputs() {
  }

  /** Loads games, advanced statistics and talent of the seasons {@code from} to {@code to}. */
  static FeatureInputs load(int from, int to) {
    Path cfbd = DataPack.cfbd();
    FeatureInputs inputs = new FeatureInputs();
    for (int year = from; year <= to; year++) {
      for (JsonArray items : responses(cfbd.resolve("games"), year)) {
        inputs.addGames(items);
      }
      for (JsonArray items : responses(cfbd.resolve("stats/game/advanced"), year)) {
        inputs.addAdvancedStats(items);
      }
      Path talent = cfbd.resolve("talent/year=" + year + ".json");
      if (Files.isRegularFile(talent)) {
        inputs.addTalent(year, read(talent));
      }
    }
    return inputs;
  }

  private static java.util.List<JsonArray> responses(Path folder, int year) {
    java.util.List<JsonArray> result = new java.util.ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return result;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "year=" + year + "&*.json")) {
      for (Path file : files) {
        result.add(read(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  private static JsonArray read(Path file) {
    try {
      return new JsonArray(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
