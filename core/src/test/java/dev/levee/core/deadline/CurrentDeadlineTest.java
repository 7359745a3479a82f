package dev.levee.core.deadline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CurrentDeadlineTest {

  @AfterEach
  void clear() {
    CurrentDeadline.restore(CurrentDeadline.NONE);
  }

  @Test
  void swapReturnsWhatItReplacesForRestore() {
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
    long before = CurrentDeadline.swap(1_000);
    assertEquals(CurrentDeadline.NONE, before);
    assertEquals(1_000, CurrentDeadline.get());
    CurrentDeadline.restore(before);
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
  }

  @Test
  void nestedInboundHandlersReadTheRequestOnceAndRestoreOnTheOutermostExit() {
    CurrentDeadline.swap(42);
    assertTrue(CurrentDeadline.enterInbound(), "the container's outermost filter");
    CurrentDeadline.beginInbound(5_000);
    assertFalse(CurrentDeadline.enterInbound(), "the next filter");
    assertFalse(CurrentDeadline.enterInbound(), "the servlet");
    CurrentDeadline.exitInbound();
    CurrentDeadline.exitInbound();
    assertEquals(5_000, CurrentDeadline.get(), "still inside the outermost handler");
    CurrentDeadline.exitInbound();
    assertEquals(42, CurrentDeadline.get(), "what the thread held before the request");
    CurrentDeadline.exitInbound();
    assertEquals(42, CurrentDeadline.get(), "an unmatched exit changes nothing");
    assertTrue(CurrentDeadline.enterInbound(), "the next request is outermost again");
    CurrentDeadline.beginInbound(CurrentDeadline.NONE);
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get(), "a request without a deadline clears the thread's");
    CurrentDeadline.exitInbound();
  }

  @Test
  void theDeadlineIsPerThreadAndNotInherited() throws Exception {
    CurrentDeadline.swap(7);
    long[] seen = new long[1];
    Thread t = new Thread(() -> seen[0] = CurrentDeadline.get());
    t.start();
    t.join();
    assertEquals(CurrentDeadline.NONE, seen[0]);
  }
}
