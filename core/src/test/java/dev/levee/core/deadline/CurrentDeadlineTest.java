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
    int[] reads = {0};
    CurrentDeadline.InboundRead request = () -> {
      reads[0]++;
      return 5_000;
    };
    CurrentDeadline.enterInbound(request, "test"); // the container's outermost filter
    CurrentDeadline.enterInbound(request, "test"); // the next filter
    CurrentDeadline.enterInbound(request, "test"); // the servlet
    assertEquals(1, reads[0], "the request is read once");
    assertTrue(CurrentDeadline.inInbound());
    CurrentDeadline.exitInbound();
    CurrentDeadline.exitInbound();
    assertEquals(5_000, CurrentDeadline.get(), "still inside the outermost handler");
    CurrentDeadline.exitInbound();
    assertEquals(42, CurrentDeadline.get(), "what the thread held before the request");
    assertFalse(CurrentDeadline.inInbound());
    CurrentDeadline.exitInbound();
    assertEquals(42, CurrentDeadline.get(), "an unmatched exit changes nothing");
    CurrentDeadline.enterInbound(() -> CurrentDeadline.NONE, "test");
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get(), "a request without a deadline clears the thread's");
    CurrentDeadline.exitInbound();
  }

  @Test
  void aRequestWhoseDeadlineCannotBeReadRunsWithoutOne() {
    CurrentDeadline.swap(42);
    CurrentDeadline.enterInbound(() -> {
      throw new IllegalStateException("a request of an unexpected kind");
    }, "test.failing");
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
    CurrentDeadline.exitInbound();
    assertEquals(42, CurrentDeadline.get());
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

  @Test
  void poolWorkRunsWithoutTheDeadlineAndGivesItBackAtTheOutermostResume() {
    CurrentDeadline.enterInbound(() -> 1_000L, "test");
    try {
      CurrentDeadline.suspend();
      assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
      CurrentDeadline.suspend();
      CurrentDeadline.resume();
      assertEquals(CurrentDeadline.NONE, CurrentDeadline.get(), "still inside the outer pool work");
      CurrentDeadline.resume();
      assertEquals(1_000L, CurrentDeadline.get());
      CurrentDeadline.resume();
      assertEquals(1_000L, CurrentDeadline.get(), "a resume without suspend changes nothing");
    } finally {
      CurrentDeadline.exitInbound();
    }
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
  }
}
