package example.app;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Pools made by an application's class (not Levee's, whose own pools are never reported). Each pool calls
 * the constructor hook at the end of its constructor, as the woven ThreadPoolExecutor constructor does.
 */
public final class Pools {

  public static volatile BiFunction<Object, Object[], Object> whenMade;

  private Pools() {}

  public static ThreadPoolExecutor make(int threads, BlockingQueue<Runnable> queue, RejectedExecutionHandler handler) {
    return new Watched(threads, queue, handler);
  }

  /** The same line makes every pool: one site. */
  public static ThreadPoolExecutor[] makeInALoop(int count, BlockingQueue<Runnable>[] queues) {
    ThreadPoolExecutor[] made = new ThreadPoolExecutor[count];
    for (int i = 0; i < count; i++) {
      made[i] = new Watched(1, queues[i], new ThreadPoolExecutor.AbortPolicy());
    }
    return made;
  }

  static final class Watched extends ThreadPoolExecutor {
    Watched(int threads, BlockingQueue<Runnable> queue, RejectedExecutionHandler handler) {
      super(threads, threads, 0, TimeUnit.MILLISECONDS, queue, handler);
      whenMade.apply(this, new Object[0]);
    }
  }
}
