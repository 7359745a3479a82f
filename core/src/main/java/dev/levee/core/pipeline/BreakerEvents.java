package dev.levee.core.pipeline;

import dev.levee.core.LeveeLog;
import dev.levee.core.policy.CircuitBreaker;
import java.util.Locale;

/**
 * Every change of a breaker's state, one line on stderr, so an operator can see when and why Levee started
 * (or stopped) failing calls fast:
 *
 * <pre>
 * levee: circuit open for api.example.com:443 (12 of the last 20 calls failed); next probe in 30s
 * levee: circuit half-open for api.example.com:443 (open for 30s; up to 3 probe calls may pass)
 * levee: circuit closed for api.example.com:443 (0 of 3 probe calls failed); calls pass again
 * levee: circuit open for api.example.com:443 (2 of 3 probe calls failed); next probe in 30s
 * </pre>
 *
 * In JSON ({@code -Dlevee.log.format=json}) the same message comes with {@code "event":
 * "circuit_breaker_transition"}, {@code target}, {@code from}, {@code to} ({@code closed}, {@code open},
 * {@code half_open}) and {@code reason}.
 */
final class BreakerEvents implements CircuitBreaker.Transitions {

  static final BreakerEvents PRINT = new BreakerEvents();

  private BreakerEvents() {}

  @Override
  public void onTransition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to, String reason) {
    String message;
    switch (to) {
      case OPEN:
        message = breaker.rejectionMessage();
        break;
      case HALF_OPEN:
        message = "levee: circuit half-open for " + breaker.target() + " (" + reason + ")";
        break;
      default:
        message = "levee: circuit closed for " + breaker.target() + " (" + reason + "); calls pass again";
    }
    LeveeLog.event("circuit_breaker_transition", message, "target", breaker.target().toString(),
        "from", name(from), "to", name(to), "reason", reason);
  }

  private static String name(CircuitBreaker.State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
