package dev.levee.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The bridge's table while Levee builds its pipelines: a call through a woven method waits for them and then
 * finds its site, so none is missed; the thread building them never waits for itself.
 */
class PendingSitesTest {

  private static final BiFunction<Object, Object[], Object> SITE = (self, args) -> "hooked";

  @Test
  void aCallMadeBeforeThePipelinesAreBuiltWaitsAndThenFindsItsSite() throws Exception {
    PendingSites pending = new PendingSites();
    CountDownLatch asking = new CountDownLatch(1);
    CompletableFuture<BiFunction<Object, Object[], Object>> found = CompletableFuture.supplyAsync(() -> {
      asking.countDown();
      return pending.get("jdk-httpclient.send");
    });
    assertTrue(asking.await(5, TimeUnit.SECONDS));
    Thread.sleep(100); // generous: the call is waiting, not done
    assertFalse(found.isDone(), "no site yet: the call waits rather than run untouched");

    pending.installed(Map.of("jdk-httpclient.send", SITE));
    pending.release();
    assertSame(SITE, found.get(5, TimeUnit.SECONDS));
  }

  @Test
  void theBuildingThreadNeverWaitsForItself() {
    PendingSites pending = new PendingSites(); // made on this thread, as levee-init makes it
    assertNull(pending.get("executors.execute"), "Levee's own call runs untouched at once");
  }

  @Test
  void whenLeveeFailsToGetReadyWaitingCallsRunUntouched() throws Exception {
    PendingSites pending = new PendingSites();
    CompletableFuture<BiFunction<Object, Object[], Object>> found =
        CompletableFuture.supplyAsync(() -> pending.get("okhttp.execute"));
    pending.release(); // nothing installed: the bridge holds no site
    assertNull(found.get(5, TimeUnit.SECONDS));
  }

  @Test
  void anInterruptedCallerKeepsWaitingAndKeepsItsInterrupt() throws Exception {
    PendingSites pending = new PendingSites();
    CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      pending.get("apache-httpclient4.doExecute");
      interruptedAfter.complete(Thread.currentThread().isInterrupted());
    });
    caller.start();
    caller.interrupt();
    Thread.sleep(50);
    pending.installed(Map.of());
    pending.release();
    assertEquals(true, interruptedAfter.get(5, TimeUnit.SECONDS), "the app's interrupt is kept for the call itself");
  }
}
