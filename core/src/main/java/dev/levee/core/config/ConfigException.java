package dev.levee.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A resilience.yaml that cannot be applied: every problem found in it, in file order. */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(joined(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
  }

  public ConfigException(ConfigProblem problem) {
    this(Collections.singletonList(problem));
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String joined(List<ConfigProblem> problems) {
    StringBuilder s = new StringBuilder();
    for (ConfigProblem p : problems) {
      if (s.length() > 0) {
        s.append('\n');
      }
      s.append(p);
    }
    return s.toString();
  }
}
