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

  public Duration build() {
    return timeout;
  }
}
