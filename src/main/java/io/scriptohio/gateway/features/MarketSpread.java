package io.scriptohio.gateway.features;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Market spread per game from {@code /lines} items, for baselines and the market column of
 * predictions; never a model input. Negative when the home team is favoured.
 */
public final class MarketSpread {

  private MarketSpread() {
  }

  /**
   * Returns the spread of each game that has one: the {@code consensus} provider's when present,
   * else the median of the other providers' spreads.
   */
  public static Map<Long, Double> byGame(JsonArray items) {
    Map<Long, Double> spreads = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      Double spread = spread(item.getJsonArray("lines", new JsonArray()));
      if (spread != null) {
        spreads.put(item.getLong("id"), spread);
      }
    }
    return spreads;
  }

  static Double spread(JsonArray lines) {
    List<Double> books = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonObject line = lines.getJsonObject(i);
      Number spread = line.getNumber("spread");
      if (spread == null) {
        continue;
      }
      if ("consensus".equals(line.getString("provider"))) {
        return spread.doubleValue();
      }
      books.add(spread.doubleValue());
    }
    if (books.isEmpty()) {
      return null;
    }
    books.sort(Double::compare);
    int middle = books.size() / 2;
    return books.size() % 2 == 1 ? books.get(middle) : (books.get(middle - 1) + books.get(middle)) / 2;
  }
}
