package dev.levee.core.config;

import java.util.Objects;

/**
 * One thing wrong with a resilience.yaml: where (file, 1-based line and column, key path), what, and
 * what was probably meant. Printed as {@code file:line:column: key.path: message; did you mean 'x'?}.
 */
public final class ConfigProblem {

  private final String file;
  private final int line;
  private final int column;
  private final String keyPath;
  private final String message;
  private final String suggestion;

  /**
   * @param line 1-based; 0 when the problem has no position (a missing file)
   * @param column 1-based; 0 when the problem has no position
   * @param keyPath such as {@code http.hosts."billing.internal".retry.maxAttempts}; empty when the problem
   *     is not about one key (a YAML syntax error)
   * @param suggestion what was probably meant, or null
   */
  public ConfigProblem(String file, int line, int column, String keyPath, String message, String suggestion) {
    this.file = Objects.requireNonNull(file);
    this.line = line;
    this.column = column;
    this.keyPath = keyPath == null ? "" : keyPath;
    this.message = Objects.requireNonNull(message);
    this.suggestion = suggestion;
  }

  public String file() {
    return file;
  }

  /** 1-based, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based, or 0 when unknown. */
  public int column() {
    return column;
  }

  /** The key path, or an empty string. */
  public String keyPath() {
    return keyPath;
  }

  public String message() {
    return message;
  }

  /** What was probably meant, or null. */
  public String suggestion() {
    return suggestion;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(file);
    if (line > 0) {
      s.append(':').append(line).append(':').append(column);
    }
    s.append(": ");
    if (!keyPath.isEmpty()) {
      s.append(keyPath).append(": ");
    }
    s.append(message);
    if (suggestion != null) {
      s.append("; did you mean '").append(suggestion).append("'?");
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigProblem && o.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
