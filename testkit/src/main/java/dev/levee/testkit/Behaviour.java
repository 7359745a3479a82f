package dev.levee.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What {@link FaultServer} does with one request. Immutable: the fluent methods return a copy, so a
 * behaviour can be shared between scripts.
 *
 * <pre>
 *   server.on("/flaky").respond(status(503).header("Retry-After", "1"), status(200).after(ofMillis(300)));
 * </pre>
 */
public final class Behaviour {

  /** What happens after the request has been read (and after any {@link #after(Duration) delay}). */
  public enum Kind {
    /** Answer with a status line, headers and a body. */
    RESPOND,
    /** Never answer; the connection stays open until the client or the server closes it. */
    HANG,
    /** Close with SO_LINGER 0: the client sees a connection reset (RST). */
    RESET,
    /** Close the connection normally (FIN) without writing a byte. */
    CLOSE_WITHOUT_RESPONSE
  }

  private final Kind kind;
  private final int status;
  private final List<String[]> headers;
  private final String body;
  private final Duration delay;
  private final Duration headByteGap;
  private final Duration bodyByteGap;

  private Behaviour(Kind kind, int status, List<String[]> headers, String body, Duration delay) {
    this(kind, status, headers, body, delay, Duration.ZERO, Duration.ZERO);
  }

  private Behaviour(Kind kind, int status, List<String[]> headers, String body, Duration delay,
      Duration headByteGap, Duration bodyByteGap) {
    this.kind = kind;
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.delay = delay;
    this.headByteGap = headByteGap;
    this.bodyByteGap = bodyByteGap;
  }

  /** Answers {@code code} with a small text body naming the code. */
  public static Behaviour status(int code) {
    if (code < 100 || code > 999) {
      throw new IllegalArgumentException("not an HTTP status code: " + code);
    }
    return new Behaviour(Kind.RESPOND, code, Collections.<String[]>emptyList(), null, Duration.ZERO);
  }

  /** Answers 200 "ok". */
  public static Behaviour ok() {
    return status(200).body("ok");
  }

  /** Answers 200 "ok" after {@code delay}. */
  public static Behaviour delay(Duration delay) {
    return ok().after(delay);
  }

  /** Reads the request and never answers. */
  public static Behaviour hang() {
    return new Behaviour(Kind.HANG, 0, Collections.<String[]>emptyList(), null, Duration.ZERO);
  }

  /** Reads the request, then resets the connection (SO_LINGER 0). */
  public static Behaviour reset() {
    return new Behaviour(Kind.RESET, 0, Collections.<String[]>emptyList(), null, Duration.ZERO);
  }

  /** Reads the request, then closes the connection without writing anything. */
  public static Behaviour closeWithoutResponse() {
    return new Behaviour(Kind.CLOSE_WITHOUT_RESPONSE, 0, Collections.<String[]>emptyList(), null, Duration.ZERO);
  }

  /** Adds a response header (repeatable; a name may appear more than once). */
  public Behaviour header(String name, String value) {
    requireRespond("header");
    List<String[]> copy = new ArrayList<>(headers);
    copy.add(new String[] {Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")});
    return new Behaviour(kind, status, Collections.unmodifiableList(copy), body, delay, headByteGap, bodyByteGap);
  }

  /** Replaces the default body. */
  public Behaviour body(String body) {
    requireRespond("body");
    return new Behaviour(kind, status, headers, Objects.requireNonNull(body, "body"), delay, headByteGap, bodyByteGap);
  }

  /**
   * Sends the status line and headers one byte at a time, {@code gap} apart: a server whose socket never
   * goes quiet for long, yet whose response head takes {@code gap} times its length to arrive.
   */
  public Behaviour trickleHead(Duration gap) {
    requireRespond("trickleHead");
    return new Behaviour(kind, status, headers, body, delay, nonNegative(gap), bodyByteGap);
  }

  /** Sends the head at once, then the body one byte at a time, {@code gap} apart. */
  public Behaviour trickleBody(Duration gap) {
    requireRespond("trickleBody");
    return new Behaviour(kind, status, headers, body, delay, headByteGap, nonNegative(gap));
  }

  /** Waits {@code delay} after reading the request before acting (answering, resetting, closing). */
  public Behaviour after(Duration delay) {
    return new Behaviour(kind, status, headers, body, nonNegative(delay), headByteGap, bodyByteGap);
  }

  private static Duration nonNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + d);
    }
    return d;
  }

  public Kind kind() {
    return kind;
  }

  /** The status code; 0 unless {@link Kind#RESPOND}. */
  public int statusCode() {
    return status;
  }

  /** Name/value pairs in the order given. */
  public List<String[]> headers() {
    return headers;
  }

  /** The body to send: the one set, else a short text naming the status. */
  public String bodyText() {
    return body != null ? body : status + " " + FaultServer.reason(status) + "\n";
  }

  public Duration delay() {
    return delay;
  }

  /** The pause between two bytes of the status line and headers; zero: sent at once. */
  public Duration headByteGap() {
    return headByteGap;
  }

  /** The pause between two bytes of the body; zero: sent at once. */
  public Duration bodyByteGap() {
    return bodyByteGap;
  }

  private void requireRespond(String what) {
    if (kind != Kind.RESPOND) {
      throw new IllegalStateException(what + " only applies to status(...) behaviours, not " + kind);
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(kind == Kind.RESPOND ? "status(" + status + ")" : kind.toString());
    for (String[] h : headers) {
      s.append(".header(").append(h[0]).append(", ").append(h[1]).append(')');
    }
    if (!delay.isZero()) {
      s.append(".after(").append(delay.toMillis()).append("ms)");
    }
    if (!headByteGap.isZero()) {
      s.append(".trickleHead(").append(headByteGap.toMillis()).append("ms)");
    }
    if (!bodyByteGap.isZero()) {
      s.append(".trickleBody(").append(bodyByteGap.toMillis()).append("ms)");
    }
    return s.toString();
  }
}
