package dev.levee.testkit;

import java.util.Arrays;
import java.util.List;

/**
 * The behaviours of one path: used in order, one per request; the last repeats forever. Requests are
 * counted per path, whatever connection they arrive on.
 */
public final class Script {

  private final String path;
  private List<Behaviour> behaviours = Arrays.asList(Behaviour.ok());
  private int served;

  Script(String path) {
    this.path = path;
  }

  /** Replaces the behaviours and restarts the sequence. */
  public synchronized Script respond(Behaviour... behaviours) {
    if (behaviours.length == 0) {
      throw new IllegalArgumentException("a script needs at least one behaviour");
    }
    this.behaviours = Arrays.asList(behaviours.clone());
    this.served = 0;
    return this;
  }

  synchronized Behaviour next() {
    Behaviour b = behaviours.get(Math.min(served, behaviours.size() - 1));
    served++;
    return b;
  }

  public String path() {
    return path;
  }

  @Override
  public synchronized String toString() {
    return "Script" + behaviours + " for " + path + " (" + served + " served)";
  }
}
