package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CountWindowTest {

  @Test
  void emptyWindowHasZeroRates() {
    CountWindow w = new CountWindow(5);
    assertEquals(CallWindow.Snapshot.EMPTY, w.snapshot());
    assertEquals(0f, w.snapshot().failureRate());
    assertEquals(0f, w.snapshot().slowCallRate());
  }

  @Test
  void countsAndRates() {
    CountWindow w = new CountWindow(10);
    w.record(true, false);
    w.record(false, true);
    w.record(true, true);
    CallWindow.Snapshot s = w.record(false, false);
    assertEquals(new CallWindow.Snapshot(4, 2, 2), s);
    assertEquals(50f, s.failureRate());
    assertEquals(50f, s.slowCallRate());
    assertEquals(s, w.snapshot());
  }

  @Test
  void keepsOnlyTheLastSizeCalls() {
    CountWindow w = new CountWindow(3);
    w.record(true, true);
    w.record(true, false);
    w.record(false, true);
    assertEquals(new CallWindow.Snapshot(3, 2, 2), w.snapshot());
    // evicts the first (failed, slow)
    assertEquals(new CallWindow.Snapshot(3, 1, 1), w.record(false, false));
    // evicts the second (failed)
    assertEquals(new CallWindow.Snapshot(3, 0, 1), w.record(false, false));
    // evicts the third (slow)
    assertEquals(new CallWindow.Snapshot(3, 0, 0), w.record(false, false));
    // and round again
    assertEquals(new CallWindow.Snapshot(3, 1, 0), w.record(true, false));
  }

  @Test
  void manyLapsKeepTotalsExact() {
    CountWindow w = new CountWindow(7);
    for (int i = 0; i < 1000; i++) {
      w.record(i % 3 == 0, i % 5 == 0);
    }
    // the last 7 calls: i = 993..999
    long failed = 0;
    long slow = 0;
    for (int i = 993; i < 1000; i++) {
      failed += i % 3 == 0 ? 1 : 0;
      slow += i % 5 == 0 ? 1 : 0;
    }
    assertEquals(new CallWindow.Snapshot(7, failed, slow), w.snapshot());
  }

  @Test
  void sizeOne() {
    CountWindow w = new CountWindow(1);
    assertEquals(new CallWindow.Snapshot(1, 1, 0), w.record(true, false));
    assertEquals(new CallWindow.Snapshot(1, 0, 1), w.record(false, true));
  }

  @Test
  void resetForgetsEverything() {
    CountWindow w = new CountWindow(3);
    w.record(true, true);
    w.record(true, true);
    w.reset();
    assertEquals(CallWindow.Snapshot.EMPTY, w.snapshot());
    assertEquals(new CallWindow.Snapshot(1, 0, 0), w.record(false, false));
  }

  @Test
  void rejectsSizeBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new CountWindow(0));
  }

  @Test
  void concurrentRecordsAreAllCounted() throws Exception {
    CountWindow w = new CountWindow(100_000);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          w.record(i % 2 == 0, false);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(new CallWindow.Snapshot(40_000, 20_000, 0), w.snapshot());
  }
}
