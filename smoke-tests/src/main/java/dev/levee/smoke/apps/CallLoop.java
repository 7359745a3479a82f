package dev.levee.smoke.apps;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The blocking calls every HTTP app makes: {@code --calls} of them, {@code --concurrency} at a time, each reported. */
final class CallLoop {

  /** One blocking call by index: its HTTP status and body, or the client's exception. */
  interface BlockingCall {
    CallReport.Reply call(int index) throws Exception;
  }

  /** One blocking GET of a URL: its HTTP status, or the client's exception. */
  interface UrlCall {
    int status(String url) throws Exception;
  }

  private CallLoop() {}

  /** The {@code --warmup-url} GET, if given, reported as {@code WARMUP}. */
  static void warmUp(AppArgs args, UrlCall get) {
    if (args.warmupUrl == null) {
      return;
    }
    long start = System.nanoTime();
    try {
      CallReport.status("WARMUP", get.status(args.warmupUrl), start);
    } catch (Exception e) {
      CallReport.error("WARMUP", e, start);
    }
  }

  static void runBlocking(AppArgs args, BlockingCall call) throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(args.concurrency, CallLoop::daemon);
    ScheduledExecutorService interrupter = Executors.newSingleThreadScheduledExecutor(CallLoop::daemon);
    CountDownLatch done = new CountDownLatch(args.calls);
    for (int i = 0; i < args.calls; i++) {
      int index = i;
      workers.execute(() -> {
        try {
          args.pauseBefore(index);
          long start = System.nanoTime();
          Thread caller = Thread.currentThread();
          ScheduledFuture<?> interrupt = args.interruptAfterMs < 0 ? null
              : interrupter.schedule(caller::interrupt, args.interruptAfterMs, TimeUnit.MILLISECONDS);
          try {
            CallReport.reply(CallReport.call(index), call.call(index), start);
          } catch (Exception e) {
            CallReport.error(CallReport.call(index), e, start);
          }
          if (interrupt != null) {
            interrupt.cancel(false);
            System.out.println("interrupted-flag-" + index + "=" + Thread.interrupted());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
  }

  static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "app-worker");
    t.setDaemon(true);
    return t;
  }
}
