package dev.levee.core;

import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * The one place Levee's threads are made ({@code levee-init}, {@code levee-timer}, {@code levee-jdbc}).
 * A pool makes its threads lazily, on whichever thread first hands it work: often an app's request
 * thread, inside a web app. A thread made the plain way would keep from it, for its whole life, the
 * context class loader (the web app's), its inheritable thread-locals (an MDC, a web app's own) and its
 * thread group, and up to JDK 23 the access control context of the code on its stack (the web app's
 * classes' protection domains, and so their class loader): a redeployed web app could then never be
 * unloaded. So each is a daemon with no context class loader, no inherited thread-locals, in the root
 * thread group, made inside {@code doPrivileged} (whose context holds only Levee's own code).
 */
public final class LeveeThreads {

  private static final ThreadGroup ROOT = root();

  private LeveeThreads() {}

  /** A daemon thread named {@code name} that runs {@code body}, owing nothing to the calling thread. */
  public static Thread newThread(String name, Runnable body) {
    // deprecated from JDK 17 (and a no-op from 24, where threads no longer keep a context), not on 11
    return AccessController.doPrivileged(new Make(name, body));
  }

  /** A class, not a lambda: levee-init is made in premain, where each lambda spins a class of its own. */
  private static final class Make implements PrivilegedAction<Thread> {
    private final String name;
    private final Runnable body;

    Make(String name, Runnable body) {
      this.name = name;
      this.body = body;
    }

    @Override
    public Thread run() {
      Thread t = new Thread(ROOT, body, name, 0, false);
      t.setDaemon(true);
      t.setContextClassLoader(null);
      return t;
    }
  }

  private static ThreadGroup root() {
    ThreadGroup group = Thread.currentThread().getThreadGroup();
    while (group.getParent() != null) {
      group = group.getParent();
    }
    return group;
  }
}
