package io.scriptohio.gateway.predictions;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Matches a team name a client typed against CFBD's names, and suggests close names when there is
 * no match, so that "Ohio St" gets "did you mean Ohio State?" instead of a bare 400.
 */
final class TeamNames {

  /** Suggestions returned with an unknown name. */
  static final int MAX_SUGGESTIONS = 3;

  private TeamNames() {
  }

  /** Returns the CFBD spelling of {@code name}, compared without regard to case. */
  static Optional<String> find(Set<String> teams, String name) {
    return teams.stream().filter(team -> team.equalsIgnoreCase(name.trim())).findFirst();
  }

  /**
   * Returns up to {@link #MAX_SUGGESTIONS} names closest to {@code name}: names that contain it
   * or that it contains first, then by edit distance.
   */
  static List<String> suggest(Set<String> teams, String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return teams.stream()
        .sorted(Comparator.comparingInt((String team) -> score(team.toLowerCase(Locale.ROOT), wanted))
            .thenComparing(Comparator.naturalOrder()))
        .limit(MAX_SUGGESTIONS)
        .toList();
  }

  private static int score(String team, String wanted) {
    int distance = levenshtein(team, wanted);
    boolean related = !wanted.isEmpty() && (team.contains(wanted) || wanted.contains(team)
        || team.startsWith(wanted.split(" ")[0]));
    return related ? distance - 100 : distance;
  }

  static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
