package dev.levee.smoke;

import dev.levee.smoke.apps.CallReport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code CALL} (or {@code WARMUP}) line printed by an HTTP smoke app. */
final class AppCall {

  private static final Pattern LINE = Pattern.compile(
      "^(CALL (\\d+)|WARMUP) status=(\\S+) error=(\\S+)(?: message=\"((?:[^\"\\\\]|\\\\.)*)\")? ms=(\\d+)(?: body=(\\d+):([0-9a-f]+))?(?: thread=\"((?:[^\"\\\\]|\\\\.)*)\")?$");

  final int index; // -1 for the warmup
  final Integer status; // null when the call ended with an exception
  final String error; // exception class name, null when the call got a status
  final String message; // exception message (unescaped), null when the call got a status
  final long ms;
  /** What the app's body handling delivered, {@code LENGTH:SHA} (see CallReport); null when not reported. */
  final String body;
  /** The thread the app learnt the outcome on; null when the line does not say. */
  final String thread;
  final String line;

  private AppCall(int index, Integer status, String error, String message, long ms, String body, String thread,
      String line) {
    this.index = index;
    this.status = status;
    this.error = error;
    this.message = message;
    this.ms = ms;
    this.body = body;
    this.thread = thread;
    this.line = line;
  }

  /** The {@code LENGTH:SHA} a body handling reports for {@code text} (UTF-8). */
  static String bodyOf(String text) {
    return CallReport.body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
    String body = m.group(7) == null ? null : m.group(7) + ":" + m.group(8);
    String thread = m.group(9) == null ? null : unescape(m.group(9));
    return new AppCall(index, status, error, message, Long.parseLong(m.group(6)), body, thread, line);
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
