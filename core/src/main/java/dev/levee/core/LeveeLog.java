package dev.levee.core;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Levee's own messages, one line each on stderr with a {@code levee} prefix. Warnings about Levee's own
 * faults are printed once per key so a broken path cannot flood the application's log.
 *
 * <p>With {@code -Dlevee.log.format=json} ({@code LEVEE_LOG_FORMAT=json}) every line is one JSON object
 * instead, for log shippers: {@code {"time":"2026-12-02T10:15:30.123Z","level":"INFO","logger":"levee",
 * "message":"..."}}, and an event adds its name and fields ({@code "event":"circuit_breaker_transition",
 * "target":"api.example.com:443","from":"closed","to":"open","reason":"..."}).
 */
public final class LeveeLog {

  public static final String FORMAT = "levee.log.format";

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  private static final boolean DEBUG = Switches.flag(Switches.DEBUG, false);
  private static final boolean JSON = "json".equalsIgnoreCase(Switches.value(FORMAT));

  private LeveeLog() {}

  public static void info(String message) {
    String line = message.startsWith("levee") ? message : "levee: " + message;
    System.err.println(JSON ? json("INFO", line, null) : line);
  }

  /**
   * Something Levee did that an operator watches for (a breaker opening, say): the text line as {@link
   * #info}, or in JSON the same message with the event's name and fields.
   *
   * @param fields name, value, name, value...
   */
  public static void event(String event, String message, String... fields) {
    if (!JSON) {
      info(message);
      return;
    }
    StringBuilder extra = new StringBuilder(",\"event\":");
    quote(extra, event);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      extra.append(',');
      quote(extra, fields[i]);
      extra.append(':');
      quote(extra, fields[i + 1]);
    }
    System.err.println(json("INFO", message, extra));
  }

  /** Prints the warning the first time {@code key} is seen; with -Dlevee.debug=true, every time with its trace. */
  public static void warnOnce(String key, String message, Throwable error) {
    if (WARNED.add(key) || DEBUG) {
      String line = "levee: " + message + (error == null ? "" : ": " + error);
      System.err.println(JSON ? json("WARN", line, null) : line);
      if (DEBUG && error != null) {
        error.printStackTrace();
      }
    }
  }

  public static boolean isDebug() {
    return DEBUG;
  }

  static String json(String level, String message, CharSequence extra) {
    StringBuilder s = new StringBuilder("{\"time\":\"").append(Instant.now()).append("\",\"level\":\"").append(level)
        .append("\",\"logger\":\"levee\",\"message\":");
    quote(s, message);
    if (extra != null) {
      s.append(extra);
    }
    return s.append('}').toString();
  }

  private static void quote(StringBuilder s, String text) {
    s.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          s.append("\\\"");
          break;
        case '\\':
          s.append("\\\\");
          break;
        case '\n':
          s.append("\\n");
          break;
        case '\r':
          s.append("\\r");
          break;
        case '\t':
          s.append("\\t");
          break;
        default:
          if (c < 0x20) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
      }
    }
    s.append('"');
  }
}
