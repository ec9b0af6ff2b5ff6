package io.scriptohio.gateway.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads typed values out of the merged configuration and collects one problem message per invalid
 * setting instead of failing on the first. Values may be YAML numbers or environment strings.
 *
 * <p>Messages name the environment variable, the rejected value (never the value of a secret)
 * and the allowed range.
 */
public final class SettingReader {

  private final JsonObject config;
  private final List<String> problems = new ArrayList<>();

  public SettingReader(JsonObject config) {
    this.config = config;
  }

  /** Returns the problems found so far. */
  public List<String> problems() {
    return problems;
  }

  /** Throws a {@link ConfigException} listing every problem, if there are any. */
  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Records a problem that concerns several settings at once. */
  public void reject(String message) {
    problems.add(message);
  }

  /** Returns the raw value, or null when the setting is absent or blank. */
  public String string(Setting setting) {
    Object value = raw(setting);
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  public String string(Setting setting, String defaultValue) {
    String value = string(setting);
    return value == null ? defaultValue : value;
  }

  public int intIn(Setting setting, int min, int max, int defaultValue) {
    String text = string(setting);
    if (text == null) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        invalid(setting, text, "an integer from " + min + " to " + max);
        return defaultValue;
      }
      return value;
    } catch (NumberFormatException e) {
      invalid(setting, text, "an integer from " + min + " to " + max);
      return defaultValue;
    }
  }

  public double doubleIn(Setting setting, double min, double max, double defaultValue, String unit) {
    String text = string(setting);
    String range = "a number from " + format(min) + " to " + format(max) + unit;
    if (text == null) {
      return defaultValue;
    }
    try {
      double value = Double.parseDouble(text);
      if (!(value >= min && value <= max)) {
        invalid(setting, text, range);
        return defaultValue;
      }
      return value;
    } catch (NumberFormatException e) {
      invalid(setting, text, range);
      return defaultValue;
    }
  }

  public boolean bool(Setting setting, boolean defaultValue) {
    String text = string(setting);
    if (text == null) {
      return defaultValue;
    }
    switch (text.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        invalid(setting, text, "true or false (yes/no and 1/0 are accepted too)");
        return defaultValue;
    }
  }

  /** Returns the value if it is one of {@code allowed} (case-insensitive, normalised to the allowed spelling). */
  public String oneOf(Setting setting, Set<String> allowed, String defaultValue) {
    String text = string(setting);
    if (text == null) {
      return defaultValue;
    }
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(text)) {
        return candidate;
      }
    }
    invalid(setting, text, "one of " + String.join(", ", allowed.stream().sorted().toList()));
    return defaultValue;
  }

  /** Records that a setting has an invalid value; secrets are described, never echoed. */
  public void invalid(Setting setting, String value, String allowed) {
    String displayedValue = setting.secret() ? "(value hidden)" : "'" + value + "'";
    problems.add(setting.name() + "=" + displayedValue + " is invalid: expected " + allowed);
  }

  private Object raw(Setting setting) {
    Object node = config;
    for (String part : setting.path().split("\\.")) {
      if (!(node instanceof JsonObject)) {
        return null;
      }
      node = ((JsonObject) node).getValue(part);
    }
    return node;
  }

  private static String format(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
