package io.scriptohio.gateway.config;

import java.util.List;

/**
 * Invalid start-up configuration. Carries one message per bad setting so that an operator can
 * fix every problem in one go instead of one per restart.
 */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("Invalid configuration:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Returns one message per invalid setting, each naming the variable and the allowed range. */
  public List<String> problems() {
    return problems;
  }
}
