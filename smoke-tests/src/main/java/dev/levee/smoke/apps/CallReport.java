package dev.levee.smoke.apps;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Prints one line per call, the output contract of every HTTP smoke app:
 *
 * <pre>
 *   CALL 0 status=503 error=- ms=123
 *   CALL 1 status=- error=java.net.http.HttpTimeoutException message="request timed out" ms=2004
 * </pre>
 *
 * The message is quoted with {@code \\}, {@code \"}, {@code \n}, {@code \r} and {@code \t} escaped;
 * a null message prints as {@code message=""}. Lines may come out of index order when calls run
 * concurrently; each line is written whole.
 */
final class CallReport {

  private CallReport() {}

  static void status(String label, int status, long startNanos) {
    print(label + " status=" + status + " error=- ms=" + elapsedMs(startNanos));
  }

  static void error(String label, Throwable error, long startNanos) {
    Throwable e = unwrap(error);
    print(label + " status=- error=" + e.getClass().getName() + " message=\"" + escape(e.getMessage()) + "\" ms="
        + elapsedMs(startNanos));
  }

  static String call(int index) {
    return "CALL " + index;
  }

  /** Async APIs wrap the exception the app would handle; report that one. */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && !(t instanceof CancellationException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\': b.append("\\\\"); break;
        case '"': b.append("\\\""); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static void print(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
