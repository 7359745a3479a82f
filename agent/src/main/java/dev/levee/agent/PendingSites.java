package dev.levee.agent;

import dev.levee.core.LeveeLog;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The bridge's table while Levee builds its pipelines, after the gate has opened: a call through a woven
 * method waits here (at most {@value #MAX_WAIT_SECONDS} s, as a hooked class's loading once did) and then
 * finds its site in the table the bridge holds by then, so no call is missed. Only {@link #get} is used.
 * Made on the thread that builds the pipelines, whose own calls (a timer it schedules on) run untouched.
 */
final class PendingSites extends AbstractMap<String, BiFunction<Object, Object[], Object>> {

  private static final long MAX_WAIT_SECONDS = 20;

  private final CountDownLatch released = new CountDownLatch(1);
  private final Map<String, BiFunction<Object, Object[], Object>> none = Collections.emptyMap();
  /** The thread building the pipelines: a woven method it calls runs untouched rather than wait for itself. */
  private final Thread preparing = Thread.currentThread();
  /** What the bridge holds now: kept up to date as instrumentations are bound. */
  private volatile Map<String, BiFunction<Object, Object[], Object>> table = none;

  /** The bridge now holds {@code installed}. */
  void installed(Map<String, BiFunction<Object, Object[], Object>> installed) {
    table = installed;
  }

  /** Levee is ready (or failed, and the bridge holds no site): waiting calls go on. */
  void release() {
    released.countDown();
  }

  @Override
  public BiFunction<Object, Object[], Object> get(Object site) {
    if (Thread.currentThread() == preparing) {
      return null;
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (!released.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LeveeLog.warnOnce("pending." + site, "not ready in time to protect a call (" + site + "); it runs untouched", null);
            return null;
          }
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the app's interrupt is kept for the call itself
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return table.get(site);
  }

  @Override
  public Set<Entry<String, BiFunction<Object, Object[], Object>>> entrySet() {
    return none.entrySet();
  }
}
