package dev.levee.core;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A test switch that makes one of Levee's own steps throw, to prove that Levee fails open at every one of
 * them: the application sees what it sees without the agent, no bulkhead permit stays taken, no breaker is
 * left waiting for a probe. Off unless a test turns it on: in its own JVM with {@link #inject}, or in an
 * application's JVM with {@code -Dlevee.test.fault=STEP:KIND} (e.g. {@code classify:linkage}; {@code none}
 * for no fault yet). Started with that property, the JVM's steps read it again each time, so an application
 * can move the fault between its calls with {@code System.setProperty}, and at exit the JVM prints how
 * many faults each step threw ({@code levee test faults thrown: config=3 request=3 ...}), so a test knows
 * every step was reached. Otherwise each step pays one volatile read.
 */
public final class Faults {

  /** Levee's steps, in the order a call meets them. */
  public enum Step {
    /** Looking up the target's policies. */
    CONFIG,
    /** Reading the application's request (target, method, body, headers). */
    REQUEST,
    /** Building an attempt's request (copy, deadline header, timeouts). */
    ATTEMPT,
    /** Classifying an attempt's outcome. */
    CLASSIFY,
    /** Recording an outcome in the breaker. */
    RECORD,
    /** Releasing a bulkhead permit. */
    RELEASE,
    /** Scheduling on Levee's timer (a backoff, an attempt's or a body's limit, a statement's cancel). */
    SCHEDULE,
    /** Backpressure: a rate-limiter permit, an adaptive limit's sample, the retry budget. */
    LIMIT
  }

  /** What the step throws. */
  public enum Kind {
    RUNTIME,
    LINKAGE,
    /** A checked {@code ReflectiveOperationException}, as a reflective call into a library throws. */
    REFLECTIVE
  }

  static final String PROPERTY = "levee.test.fault";

  /** Started with {@link #PROPERTY}: the steps read it again each time. A constant: off, it costs nothing. */
  private static final boolean FOLLOWS_PROPERTY = System.getProperty(PROPERTY) != null;

  private static volatile Step step;
  private static volatile Kind kind;
  private static volatile String spec;
  private static final AtomicLongArray THROWN = new AtomicLongArray(Step.values().length);

  static {
    if (FOLLOWS_PROPERTY) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println(thrown()), "levee-test-faults"));
    }
  }

  private Faults() {}

  public static void inject(Step at, Kind what) {
    kind = what;
    step = at;
  }

  public static void clear() {
    step = null;
  }

  /** Throws the injected fault when {@code at} is the step a test picked; otherwise nothing. */
  public static void at(Step at) {
    if (FOLLOWS_PROPERTY) {
      follow(System.getProperty(PROPERTY));
    }
    if (step == at) {
      THROWN.incrementAndGet(at.ordinal());
      throw Faults.<RuntimeException>sneaky(fault(at));
    }
  }

  /** How many faults each step threw: {@code levee test faults thrown: config=3 request=0 ...}. */
  public static String thrown() {
    StringBuilder line = new StringBuilder("levee test faults thrown:");
    for (Step s : Step.values()) {
      line.append(' ').append(s.name().toLowerCase(Locale.ROOT)).append('=').append(THROWN.get(s.ordinal()));
    }
    return line.toString();
  }

  /** {@code STEP:KIND}, {@code STEP} (a runtime exception) or {@code none}. */
  private static synchronized void follow(String now) {
    if (now == null || now.equals(spec)) {
      return;
    }
    spec = now;
    String[] parts = now.toUpperCase(Locale.ROOT).split(":");
    if (parts[0].equals("NONE")) {
      clear();
    } else {
      inject(Step.valueOf(parts[0]), parts.length > 1 ? Kind.valueOf(parts[1]) : Kind.RUNTIME);
    }
  }

  private static Throwable fault(Step at) {
    String message = "levee test fault at " + at.name().toLowerCase(Locale.ROOT);
    switch (kind) {
      case LINKAGE:
        return new NoClassDefFoundError(message);
      case REFLECTIVE:
        return new NoSuchMethodException(message);
      default:
        return new IllegalStateException(message);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
