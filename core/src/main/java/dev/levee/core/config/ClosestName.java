package dev.levee.core.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for names: the candidate nearest by edit distance, ignoring case, when it is near enough. */
final class ClosestName {

  private ClosestName() {}

  /** The closest candidate, or null when none is close (more than a third of the word changed, or 3+ edits). */
  static String among(String written, Collection<String> candidates) {
    String w = written.toLowerCase(Locale.ROOT);
    int allowed = Math.max(1, Math.min(2, w.length() / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(w, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= allowed && !best.equals(written) ? best : null;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
