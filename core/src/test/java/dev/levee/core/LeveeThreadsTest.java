package dev.levee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Levee's threads are made lazily on an app's thread (a web app's request thread): they must keep nothing
 * of it, or the web app's class loader outlives its undeploy.
 */
class LeveeThreadsTest {

  private static final InheritableThreadLocal<Object> APP_LOCAL = new InheritableThreadLocal<>();

  /** What a thread made on an app's thread sees: its context class loader, the app's inheritable local, its group. */
  private static final class Seen {
    ClassLoader contextLoader;
    Object inherited;
    ThreadGroup group;
    boolean daemon;
    String name;

    static Seen here() {
      Seen s = new Seen();
      Thread t = Thread.currentThread();
      s.contextLoader = t.getContextClassLoader();
      s.inherited = APP_LOCAL.get();
      s.group = t.getThreadGroup();
      s.daemon = t.isDaemon();
      s.name = t.getName();
      return s;
    }
  }

  @Test
  void aThreadMadeOnAnAppsThreadKeepsNeitherItsClassLoaderNorItsInheritableLocalsNorItsGroup() throws Exception {
    Seen seen = onAppThread(() -> {
      CompletableFuture<Seen> result = new CompletableFuture<>();
      LeveeThreads.newThread("levee-test", () -> result.complete(Seen.here())).start();
      return result.get(5, TimeUnit.SECONDS);
    });
    assertLeveesOwn(seen, "levee-test");
  }

  @Test
  void theTimerThreadStartedByAnAppsFirstTaskKeepsNothingOfTheAppsThread() throws Exception {
    ScheduledThreadPoolExecutor timer = LeveeTimer.create();
    try {
      // the pool makes its thread on the first schedule: here, the app's thread
      Seen seen = onAppThread(() -> {
        CompletableFuture<Seen> result = new CompletableFuture<>();
        timer.schedule(() -> {
          assertTrue(LeveeTimer.isCurrentThread());
          result.complete(Seen.here());
        }, 1, TimeUnit.MILLISECONDS);
        return result.get(5, TimeUnit.SECONDS);
      });
      assertLeveesOwn(seen, "levee-timer");
    } finally {
      timer.shutdownNow();
    }
  }

  private static void assertLeveesOwn(Seen seen, String name) {
    assertEquals(name, seen.name);
    assertTrue(seen.daemon, "daemon");
    assertNull(seen.contextLoader, "context class loader");
    assertNull(seen.inherited, "inherited thread-local");
    assertNull(seen.group.getParent(), "root thread group, not the app thread's " + seen.group);
  }

  interface Work<T> {
    T run() throws Exception;
  }

  /** Runs {@code work} on a thread of an "app": its own group, a web app's class loader, an inheritable local set. */
  private static <T> T onAppThread(Work<T> work) throws Exception {
    ThreadGroup appGroup = new ThreadGroup("app");
    URLClassLoader webApp = new URLClassLoader(new URL[0], null);
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread app = new Thread(appGroup, () -> {
      APP_LOCAL.set(webApp);
      try {
        result.complete(work.run());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "app-request");
    app.setContextClassLoader(webApp);
    app.start();
    T value = result.get(10, TimeUnit.SECONDS);
    assertNotSame(appGroup, Thread.currentThread().getThreadGroup());
    webApp.close();
    return value;
  }
}
