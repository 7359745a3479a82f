package dev.levee.core.inbound;

import dev.levee.core.Clock;
import dev.levee.core.Target;
import dev.levee.core.config.BulkheadConfig;
import dev.levee.core.config.InboundConfig;
import dev.levee.core.config.RateLimiterConfig;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.policy.AdaptiveConcurrency;
import dev.levee.core.policy.Bulkhead;
import dev.levee.core.policy.RateLimiter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.TimeUnit;

/**
 * The door of every server the app runs: decides, before the app's handler runs, whether an inbound request
 * is served or shed, by the limits of its path rule ({@link InboundConfig}). One limiter per rule that writes
 * the limit, shared by every request of the rules that inherit it, whatever server or servlet container they
 * arrive through.
 *
 * <p>Order, first to last: the path rule; its rate limiter (over it: 429, with {@code Retry-After} the time to the
 * next permit, rounded up to whole seconds); its concurrency limit, a fixed one waiting at most
 * {@code maxWaitDuration} and never past the request's own deadline, an adaptive one never (full: 503,
 * {@code Retry-After: 1}); then the handler. A request the concurrency limit sheds has used its rate permit: it
 * reached the server, and the rate counts what reaches it.
 */
public final class InboundLimits {

  /** A concurrency limit of one rule: fixed ({@link Bulkhead}) or adaptive. */
  interface Concurrency {
    /** Takes a place, waiting at most {@code waitNanos}; false: none came. */
    boolean tryAcquire(long waitNanos) throws InterruptedException;

    /** Gives the place back after a handling of {@code elapsedNanos} that {@code failed} or not. */
    void release(boolean failed, long elapsedNanos);

    /** For the shed answer: the limit now. */
    int limit();
  }

  /** {@code type: fixed}: the outbound bulkhead, counting requests of one rule instead of calls to one host. */
  private static final class FixedConcurrency implements Concurrency {
    private final Bulkhead bulkhead;

    FixedConcurrency(String rule, BulkheadConfig config) {
      this.bulkhead = new Bulkhead(Target.of("inbound " + rule, 0), config);
    }

    @Override
    public boolean tryAcquire(long waitNanos) throws InterruptedException {
      return bulkhead.tryAcquire(waitNanos);
    }

    @Override
    public void release(boolean failed, long elapsedNanos) {
      bulkhead.release();
    }

    @Override
    public int limit() {
      return bulkhead.maxConcurrentCalls();
    }
  }

  /**
   * {@code type: adaptive}: the outbound adaptive bulkhead's limit, learning from the requests' handling time and
   * their 5xx answers. It never waits: an adaptive limit is the queue's length.
   */
  private static final class AdaptiveInboundConcurrency implements Concurrency {
    private final AdaptiveConcurrency concurrency;

    AdaptiveInboundConcurrency(BulkheadConfig c) {
      this.concurrency = AdaptiveConcurrency.of(c.adaptive());
    }

    @Override
    public boolean tryAcquire(long waitNanos) {
      return concurrency.tryAcquire();
    }

    @Override
    public void release(boolean failed, long elapsedNanos) {
      if (failed) {
        concurrency.onDropped();
      } else {
        concurrency.onSuccess(elapsedNanos);
      }
    }

    @Override
    public int limit() {
      return concurrency.limit();
    }
  }

  /**
   * The rules in force with their limiters, replaced whole by {@link #reconfigure}: a request sees the old or
   * the new, and gives its place back to the limiter that admitted it.
   */
  private static final class Door {
    final InboundConfig config;
    final Map<String, Concurrency> concurrencyByOwner = new HashMap<>();
    final Map<String, RateLimiter> rateByOwner = new HashMap<>();
    /** The settings each owner's limiter was made with: a reload keeps a limiter whose settings are the same. */
    final Map<String, BulkheadConfig> concurrencySettings = new HashMap<>();
    final Map<String, RateLimiterConfig> rateSettings = new HashMap<>();
    /** Requests shed, by rule (its path key, or {@code defaults}): [0] over a rate limit, [1] over a concurrency limit. */
    final Map<String, LongAdder[]> shedByRule = new LinkedHashMap<>();

    /** The limiters of {@code config}; those of {@code before} whose rule kept its settings are kept, state and all. */
    Door(InboundConfig config, Door before, Clock clock) {
      this.config = config;
      List<InboundConfig.Rule> rules = new ArrayList<>(config.paths());
      rules.add(config.defaults());
      for (InboundConfig.Rule rule : rules) {
        LongAdder[] counts = before == null ? null : before.shedByRule.get(rule.name());
        shedByRule.put(rule.name(), counts != null ? counts : new LongAdder[] {new LongAdder(), new LongAdder()});
        BulkheadConfig c = rule.concurrency();
        if (c != null && rule.concurrencyOwner().equals(rule.name())) {
          Concurrency kept = before == null || !c.equals(before.concurrencySettings.get(rule.name()))
              ? null : before.concurrencyByOwner.get(rule.name());
          concurrencySettings.put(rule.name(), c);
          concurrencyByOwner.put(rule.name(), kept != null ? kept
              : c.type() == BulkheadConfig.Type.ADAPTIVE
                  ? new AdaptiveInboundConcurrency(c) : new FixedConcurrency(rule.name(), c));
        }
        RateLimiterConfig r = rule.rateLimiter();
        if (r != null && rule.rateLimiterOwner().equals(rule.name())) {
          RateLimiter kept = before == null || !r.equals(before.rateSettings.get(rule.name()))
              ? null : before.rateByOwner.get(rule.name());
          rateSettings.put(rule.name(), r);
          rateByOwner.put(rule.name(), kept != null ? kept
              : new RateLimiter(r, clock));
        }
      }
    }
  }

  private final Clock clock;
  private volatile Door door;

  public InboundLimits(InboundConfig config, Clock clock) {
    this.clock = clock;
    this.door = new Door(config, null, clock);
  }

  /**
   * Hot reload: the new rules apply to requests from now on; a rule whose limit kept its settings keeps its
   * limiter (the requests in its hands, an adaptive limit's value, a rate's permits) and its shed counts.
   */
  public void reconfigure(InboundConfig next) {
    door = new Door(next, door, clock);
  }

  /** The rules, by name (a path key, or {@code defaults}), for metrics. */
  public List<String> ruleNames() {
    return new ArrayList<>(door.shedByRule.keySet());
  }

  /** Requests of a rule shed so far: over its rate limit ({@code rate} true) or its concurrency limit. */
  public long shed(String rule, boolean rate) {
    LongAdder[] counts = door.shedByRule.get(rule);
    return counts == null ? 0 : counts[rate ? 0 : 1].sum();
  }

  /** The concurrency limit a rule's own concurrency has now (adaptive: its value now); -1 when it owns none. */
  public int concurrencyLimit(String rule) {
    Concurrency c = door.concurrencyByOwner.get(rule);
    return c == null ? -1 : c.limit();
  }

  /** False when nothing is limited: the servers then skip the door altogether. */
  public boolean limitsAnything() {
    return door.config.limitsAnything();
  }

  /**
   * Admits or sheds a request for {@code path} (without the query).
   *
   * @param deadlineMillis the request's deadline as its thread holds it (epoch milliseconds), or
   *     {@link CurrentDeadline#NONE}: a fixed limit's wait ends there when that comes before
   *     {@code maxWaitDuration}
   */
  public InboundAdmission admit(String path, long deadlineMillis) {
    Door door = this.door; // read once: the request sees one set of rules
    InboundConfig.Rule rule = door.config.ruleFor(path);
    if (rule.rateLimiter() != null) {
      RateLimiter rate = door.rateByOwner.get(rule.rateLimiterOwner());
      if (rate.reserveNanos(0) < 0) {
        door.shedByRule.get(rule.name())[0].increment();
        return InboundAdmission.shed(429, wholeSecondsAtLeastOne(rate.nanosToNextPermit()),
            "levee: over the rate limit of " + describe(rule.rateLimiterOwner()) + " (" + rate.limitForPeriod()
                + " requests per " + period(rate) + "); retry later");
      }
    }
    if (rule.concurrency() == null) {
      return InboundAdmission.UNLIMITED;
    }
    Concurrency concurrency = door.concurrencyByOwner.get(rule.concurrencyOwner());
    boolean admitted;
    try {
      admitted = concurrency.tryAcquire(waitNanosUntil(deadlineMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      admitted = false;
    }
    if (!admitted) {
      door.shedByRule.get(rule.name())[1].increment();
      return InboundAdmission.shed(503, 1, "levee: over the concurrency limit of " + describe(rule.concurrencyOwner())
          + " (" + concurrency.limit() + " requests at once); retry later");
    }
    return InboundAdmission.admitted(concurrency, clock.nanoTime());
  }

  /** How long a request may wait by its deadline; saturated, so a deadline years away means no bound. */
  private long waitNanosUntil(long deadlineMillis) {
    if (deadlineMillis == CurrentDeadline.NONE) {
      return Long.MAX_VALUE;
    }
    long millis = Math.max(0, deadlineMillis - clock.currentTimeMillis());
    return millis >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : millis * 1_000_000L;
  }

  private static String period(RateLimiter rate) {
    long millis = rate.limitRefreshPeriod().toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static String describe(String owner) {
    return owner.equals(InboundConfig.DEFAULTS) ? "this service" : owner;
  }

  /** Rounded up to whole seconds, at least 1: what {@code Retry-After} can say. */
  static long wholeSecondsAtLeastOne(long nanos) {
    return Math.max(1, (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
  }
}
