package dev.levee.instrumentation.servlet;

import dev.levee.bridge.LeveeBridge;
import dev.levee.core.deadline.CurrentDeadline;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the probe filters and servlets saw, per request id, and the scoped methods run as the woven code
 * runs them: {@code LeveeBridge.enterScope} on entry, {@code exitScope} on every way out.
 */
final class Probe {

  /** What a pooled thread might still hold from earlier work: a request must never run with it. */
  static final long STALE = 1_000L;

  private static final Map<String, Map<String, Long>> SEEN = new ConcurrentHashMap<>();

  interface Body {
    void run() throws Exception;
  }

  private Probe() {}

  /**
   * The body of a scoped method that may return early, woven: the site's hook on entry (an answer returns at
   * once, without the body or the exit), its exit hook on every way out.
   */
  static void woven(String site, Object self, Object[] args, Body body) {
    if (LeveeBridge.enter(site, self, args) != null) {
      return;
    }
    try {
      body.run();
    } catch (Exception e) {
      throw Probe.<RuntimeException>sneaky(e);
    } finally {
      LeveeBridge.exitScope(site + ".exit");
    }
  }

  /**
   * The unwoven part of a probe filter around its woven {@code doFilter}: plants a stale deadline on the
   * container thread before, and records after what the thread holds and whether the scope closed.
   */
  static void aroundOutermost(String id, Body woven) {
    long held = CurrentDeadline.swap(STALE);
    try {
      woven.run();
    } catch (Exception e) {
      throw Probe.<RuntimeException>sneaky(e);
    } finally {
      record(id, "after", CurrentDeadline.get());
      boolean closed = !CurrentDeadline.inInbound();
      record(id, "closed", closed ? 1 : 0);
      CurrentDeadline.restore(held);
    }
  }

  static void record(String id, String key, long value) {
    SEEN.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(key, value);
  }

  /** Whether request {@code id} recorded {@code key} by now (no waiting). */
  static boolean recorded(String id, String key) {
    return SEEN.getOrDefault(id, Map.of()).containsKey(key);
  }

  /** What request {@code id} recorded under {@code key}; waits a little (async dispatches, the filter's tail). */
  static long await(String id, String key) throws InterruptedException {
    long giveUp = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < giveUp) {
      Long v = SEEN.getOrDefault(id, Map.of()).get(key);
      if (v != null) {
        return v;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("request " + id + " recorded no " + key + ": " + SEEN.get(id));
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
