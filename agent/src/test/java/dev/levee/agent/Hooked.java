package dev.levee.agent;

import java.io.IOException;
import java.time.Duration;

/** A class for {@link EntryHookWeaverTest} to weave: each method stands for a shape real libraries have. */
public class Hooked {

  private Duration timeout = Duration.ofSeconds(7);
  public int bodyRuns;

  public String greet(String name, int times, long big, double ratio) {
    bodyRuns++;
    return "hello " + name + " " + times + " " + big + " " + ratio;
  }

  /** Its first instruction is a branch target: the class file has a stack map frame at offset 0. */
  public String loopFirst(int n) throws IOException {
    StringBuilder s = new StringBuilder();
    while (n > 0) {
      s.append(n--);
    }
    bodyRuns++;
    return s.toString();
  }

  public long count(int base) {
    bodyRuns++;
    return base + 1L;
  }

  public void fireAndForget(String what) {
    bodyRuns++;
  }

  /** Named as a newer version of a library names it; an older one called it {@code expiredOnce}. */
  volatile boolean retriedOnce;

  /** Whether the flag was set on entry (by a field hook) or not. */
  public boolean retriedAlready() {
    return retriedOnce;
  }

  public Duration build() {
    return timeout;
  }

  /** Its own handler catches what its body throws: a scope's catch-all must not take precedence. */
  public String recovers(String input) {
    bodyRuns++;
    try {
      if (input.isEmpty()) {
        throw new IllegalArgumentException("empty");
      }
      return "ok " + input;
    } catch (IllegalArgumentException e) {
      return "recovered " + e.getMessage();
    }
  }

  /** Leaves by an exception on one path, by two different returns on others, and reuses a parameter slot. */
  public int leaves(int mode, Object scratch) throws IOException {
    bodyRuns++;
    scratch = Integer.valueOf(mode);
    if (mode == 0) {
      throw new IOException("mode 0");
    }
    if (mode == 1) {
      return 1;
    }
    return ((Integer) scratch) * 10;
  }

  /** What {@link #hand} was last given. */
  public Object handed;

  public Hooked() {}

  /** Two ways out that both return normally, and one that throws. */
  public Hooked(int mode, long wide) {
    if (mode < 0) {
      throw new IllegalArgumentException("negative");
    }
    if (mode == 0) {
      return;
    }
    bodyRuns = mode;
  }

  /** A pool's execute: a wide argument before the one a hook replaces. */
  public void hand(long wide, Runnable task) {
    bodyRuns++;
    handed = task;
  }

  public static String describe(String prefix, long wide, Runnable task) {
    task.run();
    return prefix + wide;
  }
}
