package dev.levee.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A set of outcomes written as in resilience.yaml: kinds ({@code connect-failure}, {@code reset},
 * {@code timeout}, {@code transient}), exact status codes ({@code 503}) and status classes
 * ({@code 5xx}). Used by {@code retryOn} and {@code recordOn}. Immutable; lookups do not allocate.
 */
public final class OutcomeSet {

  private final EnumSet<Outcome.Kind> kinds;
  private final BitSet statuses;
  private final List<String> tokens;

  private OutcomeSet(EnumSet<Outcome.Kind> kinds, BitSet statuses, List<String> tokens) {
    this.kinds = kinds;
    this.statuses = statuses;
    this.tokens = tokens;
  }

  /**
   * Parses the tokens; throws {@link IllegalArgumentException} naming the first token that is not an
   * outcome (the message lists what is accepted).
   */
  public static OutcomeSet parse(List<String> tokens) {
    EnumSet<Outcome.Kind> kinds = EnumSet.noneOf(Outcome.Kind.class);
    BitSet statuses = new BitSet(600);
    List<String> kept = new ArrayList<>();
    for (String raw : tokens) {
      String token = raw.trim().toLowerCase(java.util.Locale.ROOT);
      kept.add(token);
      Outcome.Kind kind = kindNamed(token);
      if (kind != null) {
        kinds.add(kind);
      } else if (token.matches("[1-5]xx")) {
        int base = (token.charAt(0) - '0') * 100;
        statuses.set(base, base + 100);
      } else if (token.matches("[1-5][0-9][0-9]")) {
        statuses.set(Integer.parseInt(token));
      } else {
        throw new IllegalArgumentException(
            "'" + raw + "' is not an outcome; expected one of " + ACCEPTED);
      }
    }
    return new OutcomeSet(kinds, statuses, Collections.unmodifiableList(kept));
  }

  public static OutcomeSet of(String... tokens) {
    return parse(java.util.Arrays.asList(tokens));
  }

  /** What {@link #parse} accepts, for error messages. */
  public static final String ACCEPTED =
      "connect-failure, reset, timeout, transient, a status code (503) or a status class (5xx)";

  /** The kinds that may be named in a list; success, rejected and application errors never are. */
  public static final Set<Outcome.Kind> LISTABLE_KINDS =
      Collections.unmodifiableSet(
          EnumSet.of(
              Outcome.Kind.CONNECT_FAILURE,
              Outcome.Kind.RESET,
              Outcome.Kind.TIMEOUT,
              Outcome.Kind.TRANSIENT));

  private static Outcome.Kind kindNamed(String token) {
    for (Outcome.Kind kind : LISTABLE_KINDS) {
      if (kind.configName().equals(token)) {
        return kind;
      }
    }
    return null;
  }

  public boolean contains(Outcome outcome) {
    if (outcome.kind() == Outcome.Kind.STATUS) {
      int code = outcome.status();
      return code >= 0 && statuses.get(code);
    }
    return kinds.contains(outcome.kind());
  }

  /** The tokens as written (lower-cased), for display. */
  public List<String> tokens() {
    return tokens;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutcomeSet
        && kinds.equals(((OutcomeSet) o).kinds)
        && statuses.equals(((OutcomeSet) o).statuses);
  }

  @Override
  public int hashCode() {
    return kinds.hashCode() * 31 + statuses.hashCode();
  }

  @Override
  public String toString() {
    return tokens.toString();
  }
}
