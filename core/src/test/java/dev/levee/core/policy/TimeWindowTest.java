package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

  private final ManualClock clock = new ManualClock();

  /** Puts the clock at the start of a whole second, so tests can reason in whole seconds. */
  private void atSecondStart() {
    clock.setNanoTime(1_000_000_000_000L);
  }

  @Test
  void countsWithinTheWindow() {
    atSecondStart();
    TimeWindow w = new TimeWindow(10, clock);
    w.record(true, false);
    clock.advance(Duration.ofSeconds(3));
    w.record(false, true);
    clock.advance(Duration.ofSeconds(6)); // 9s after the first call: still inside
    assertEquals(new CallWindow.Snapshot(3, 1, 1), w.record(false, false));
  }

  @Test
  void forgetsCallsOlderThanTheWindow() {
    atSecondStart();
    TimeWindow w = new TimeWindow(10, clock);
    w.record(true, false); // second 0
    clock.advance(Duration.ofSeconds(5));
    w.record(false, true); // second 5
    clock.advance(Duration.ofMillis(4999)); // 9.999s: second 9, both kept
    assertEquals(new CallWindow.Snapshot(2, 1, 1), w.snapshot());
    clock.advance(Duration.ofMillis(1)); // second 10: second 0 is out
    assertEquals(new CallWindow.Snapshot(1, 0, 1), w.snapshot());
    clock.advance(Duration.ofSeconds(5)); // second 15: second 5 is out
    assertEquals(CallWindow.Snapshot.EMPTY, w.snapshot());
  }

  @Test
  void callsInTheSameSecondShareABucket() {
    atSecondStart();
    TimeWindow w = new TimeWindow(2, clock);
    w.record(true, false);
    clock.advance(Duration.ofMillis(999));
    w.record(true, false);
    assertEquals(new CallWindow.Snapshot(2, 2, 0), w.snapshot());
    clock.advance(Duration.ofMillis(1)); // second 1
    w.record(false, false);
    assertEquals(new CallWindow.Snapshot(3, 2, 0), w.snapshot());
    clock.advance(Duration.ofSeconds(1)); // second 2: second 0 out
    assertEquals(new CallWindow.Snapshot(1, 0, 0), w.snapshot());
  }

  @Test
  void aLongIdleGapEmptiesEverythingAtOnce() {
    atSecondStart();
    TimeWindow w = new TimeWindow(5, clock);
    for (int i = 0; i < 5; i++) {
      w.record(true, true);
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(new CallWindow.Snapshot(4, 4, 4), w.snapshot());
    clock.advance(Duration.ofDays(365));
    assertEquals(CallWindow.Snapshot.EMPTY, w.snapshot());
    assertEquals(new CallWindow.Snapshot(1, 0, 0), w.record(false, false));
  }

  @Test
  void ringWrapsManyTimes() {
    atSecondStart();
    TimeWindow w = new TimeWindow(3, clock);
    for (int second = 0; second < 100; second++) {
      for (int i = 0; i <= second % 4; i++) {
        w.record(i == 0, false);
      }
      clock.advance(Duration.ofSeconds(1));
    }
    clock.advance(Duration.ofSeconds(-1)); // back into second 99
    // seconds 97, 98, 99 hold 2, 3, 4 calls, one failed each
    assertEquals(new CallWindow.Snapshot(9, 3, 0), w.snapshot());
  }

  @Test
  void aClockThatStepsBackDoesNotCorruptTheWindow() {
    atSecondStart();
    TimeWindow w = new TimeWindow(3, clock);
    clock.advance(Duration.ofSeconds(2));
    w.record(true, false);
    clock.advance(Duration.ofSeconds(-2));
    assertEquals(new CallWindow.Snapshot(2, 1, 0), w.record(false, false));
  }

  @Test
  void worksAcrossNegativeNanoTime() {
    clock.setNanoTime(-1_500_000_000L);
    TimeWindow w = new TimeWindow(2, clock);
    w.record(true, false); // second -2
    clock.advance(Duration.ofSeconds(1)); // -0.5s: second -1
    assertEquals(new CallWindow.Snapshot(2, 1, 0), w.record(false, false));
    clock.advance(Duration.ofSeconds(1)); // 0.5s: second 0, second -2 out
    assertEquals(new CallWindow.Snapshot(1, 0, 0), w.snapshot());
  }

  @Test
  void resetForgetsEverything() {
    atSecondStart();
    TimeWindow w = new TimeWindow(3, clock);
    w.record(true, true);
    w.reset();
    assertEquals(CallWindow.Snapshot.EMPTY, w.snapshot());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(new CallWindow.Snapshot(1, 1, 0), w.record(true, false));
  }

  @Test
  void rejectsSizeBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new TimeWindow(0, clock));
  }
}
