package dev.levee.instrumentation.jdbc;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a statement's SQL only reads: the decision that allows a retry (README, "JDBC"). Deliberately
 * narrow: a plain {@code SELECT}, after leading whitespace, comments and parentheses, that neither locks
 * ({@code FOR UPDATE}, {@code FOR SHARE}, {@code FOR NO KEY UPDATE}, {@code FOR KEY SHARE},
 * {@code LOCK IN SHARE MODE}) nor writes ({@code SELECT ... INTO}). {@code WITH} is not a read here: a
 * common table expression may hold an {@code INSERT}, {@code UPDATE} or {@code DELETE}. A word inside a
 * string literal counts too, so a doubt always ends on "not a read".
 */
final class ReadOnlySql {

  private static final Pattern LOCKING_OR_WRITING = Pattern.compile(
      "\\b(FOR\\s+(UPDATE|SHARE|NO\\s+KEY\\s+UPDATE|KEY\\s+SHARE)|LOCK\\s+IN\\s+SHARE\\s+MODE|INTO)\\b");

  private ReadOnlySql() {}

  static boolean isPlainSelect(String sql) {
    if (sql == null) {
      return false;
    }
    int i = skipNoise(sql, 0);
    if (!sql.regionMatches(true, i, "SELECT", 0, 6)) {
      return false;
    }
    int after = i + 6;
    if (after < sql.length() && Character.isJavaIdentifierPart(sql.charAt(after))) {
      return false; // SELECTED_ROWS, not SELECT
    }
    return !LOCKING_OR_WRITING.matcher(sql.toUpperCase(Locale.ROOT)).find();
  }

  /** Past whitespace, {@code -- line} and {@code /* block *}{@code /} comments and opening parentheses. */
  private static int skipNoise(String sql, int from) {
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i) || c == '#') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? sql.length() : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
      } else {
        break;
      }
    }
    return i;
  }
}
