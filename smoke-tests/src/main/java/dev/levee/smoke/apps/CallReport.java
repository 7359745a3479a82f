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
 *   CALL 2 status=200 error=- ms=35 body=8:6cc5a7d2c0b1b4a3
 * </pre>
 *
 * {@code body=LENGTH:SHA} (the first 16 hex digits of the SHA-256 of the bytes) is what the app's body
 * handling delivered, when the app reports it. Every line ends with {@code thread="NAME"}: the thread the
 * app learnt the outcome on (its own for a blocking call, the client's callback thread for an async one).
 *
 * The message is quoted with {@code \\}, {@code \"}, {@code \n}, {@code \r} and {@code \t} escaped;
 * a null message prints as {@code message=""}. Lines may come out of index order when calls run
 * concurrently; each line is written whole.
 */
public final class CallReport {

  private CallReport() {}

  static void status(String label, int status, long startNanos) {
    print(label + " status=" + status + " error=- ms=" + elapsedMs(startNanos));
  }

  /** A response the app read: its status and the bytes its body handling delivered (null: not reported). */
  static final class Reply {
    final int status;
    final byte[] body;

    Reply(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }

    static Reply of(int status) {
      return new Reply(status, null);
    }
  }

  static void reply(String label, Reply reply, long startNanos) {
    String line = label + " status=" + reply.status + " error=- ms=" + elapsedMs(startNanos);
    print((reply.body == null ? line : line + " body=" + body(reply.body)) + thread());
  }

  /** How a line shows a body: {@code LENGTH:SHA}, the SHA being the first 16 hex digits of the SHA-256. */
  public static String body(byte[] bytes) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        hex.append(String.format("%02x", digest[i] & 0xff));
      }
      return bytes.length + ":" + hex;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line naming the headers an object the app owns carries now, e.g. {@code REQUEST headers=[Accept]}. */
  static void requestHeaders(java.util.List<String> names) {
    print("REQUEST headers=" + names);
  }

  static void error(String label, Throwable error, long startNanos) {
    Throwable e = unwrap(error);
    print(label + " status=- error=" + e.getClass().getName() + " message=\"" + escape(e.getMessage()) + "\" ms="
        + elapsedMs(startNanos) + thread());
  }

  private static String thread() {
    return " thread=\"" + escape(Thread.currentThread().getName()) + "\"";
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
