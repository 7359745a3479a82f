package dev.levee.smoke;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code CALL} (or {@code WARMUP}) line printed by an HTTP smoke app. */
final class AppCall {

  private static final Pattern LINE = Pattern.compile(
      "^(CALL (\\d+)|WARMUP) status=(\\S+) error=(\\S+)(?: message=\"((?:[^\"\\\\]|\\\\.)*)\")? ms=(\\d+)$");

  final int index; // -1 for the warmup
  final Integer status; // null when the call ended with an exception
  final String error; // exception class name, null when the call got a status
  final String message; // exception message (unescaped), null when the call got a status
  final long ms;
  final String line;

  private AppCall(int index, Integer status, String error, String message, long ms, String line) {
    this.index = index;
    this.status = status;
    this.error = error;
    this.message = message;
    this.ms = ms;
    this.line = line;
  }

  /** Null when {@code line} is not a call line. */
  static AppCall parse(String line) {
    Matcher m = LINE.matcher(line.trim());
    if (!m.matches()) {
      return null;
    }
    int index = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
    Integer status = m.group(3).equals("-") ? null : Integer.valueOf(m.group(3));
    String error = m.group(4).equals("-") ? null : m.group(4);
    String message = error == null ? null : unescape(m.group(5) == null ? "" : m.group(5));
    return new AppCall(index, status, error, message, Long.parseLong(m.group(6)), line);
  }

  boolean succeeded() {
    return status != null;
  }

  static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n': b.append('\n'); break;
          case 'r': b.append('\r'); break;
          case 't': b.append('\t'); break;
          default: b.append(n);
        }
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return line;
  }
}
