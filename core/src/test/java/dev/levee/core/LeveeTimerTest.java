package dev.levee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeveeTimerTest {

  @Test
  void workThatMayCallTheAppLeavesTheTimerAndRunsInPlaceElsewhere() throws Exception {
    ScheduledThreadPoolExecutor timer = LeveeTimer.create();
    try {
      CompletableFuture<String> ranOn = new CompletableFuture<>();
      CompletableFuture<Boolean> timerKnowsItself = new CompletableFuture<>();
      timer.schedule(() -> {
        timerKnowsItself.complete(LeveeTimer.isCurrentThread());
        LeveeTimer.offTimer(() -> ranOn.complete(Thread.currentThread().getName()));
      }, 1, TimeUnit.MILLISECONDS);
      assertTrue(timerKnowsItself.get(2, TimeUnit.SECONDS));
      assertFalse(ranOn.get(2, TimeUnit.SECONDS).startsWith("levee-timer"), ranOn.get());
      assertFalse(LeveeTimer.isCurrentThread());
      String[] here = new String[1];
      LeveeTimer.offTimer(() -> here[0] = Thread.currentThread().getName());
      assertEquals(Thread.currentThread().getName(), here[0], "off the timer, it runs at once, in place");
    } finally {
      timer.shutdownNow();
    }
  }
}
