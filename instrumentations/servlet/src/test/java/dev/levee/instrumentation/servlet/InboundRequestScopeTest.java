package dev.levee.instrumentation.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Clock;
import dev.levee.core.config.CidrBlock;
import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scope's rules on requests made up here: nesting, restoring, the default budget, failures. */
class InboundRequestScopeTest {

  static final long NOW = 1_800_000_000_000L;
  static final Clock FIXED = new Clock() {
    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public long currentTimeMillis() {
      return NOW;
    }
  };

  final List<String> headerReads = new ArrayList<>();
  /** What the requests made here report as their peer's address. */
  String peer = "127.0.0.1";
  final InboundRequestScope scope = scope(DeadlineConfig.defaults().withReplyMargin(Duration.ofMillis(50)));

  @AfterEach
  void threadHoldsNothing() {
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get(), "every test leaves the thread as it found it");
    assertFalse(CurrentDeadline.inInbound(), "no scope left open");
  }

  static InboundRequestScope scope(DeadlineConfig config) {
    return new InboundRequestScope(new DeadlineHeaders(config), FIXED);
  }

  /** A {@code jakarta.servlet.http.HttpServletRequest} with these headers (name, value, ...). */
  Object jakartaRequest(String... headers) {
    return request(jakarta.servlet.http.HttpServletRequest.class, headers);
  }

  Object request(Class<?> api, String... headers) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < headers.length; i += 2) {
      byName.put(headers[i], headers[i + 1]);
    }
    return Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, (proxy, method, args) -> {
      if (method.getName().equals("getHeader")) {
        headerReads.add((String) args[0]);
        return byName.get((String) args[0]);
      }
      if (method.getName().equals("getRemoteAddr")) {
        return peer;
      }
      throw new UnsupportedOperationException(method.getName());
    });
  }

  @Test
  void theOutermostHandlerReadsTheDeadlineAndNestedOnesOnlyCount() {
    Object request = jakartaRequest("X-Request-Deadline", Long.toString(NOW + 5_000));
    scope.enter("filter", new Object[] {request, null, null});
    assertEquals(NOW + 5_000 - 50, CurrentDeadline.get());
    int reads = headerReads.size();
    scope.enter("servlet", new Object[] {request, null});
    scope.enter("forwarded servlet", new Object[] {jakartaRequest("X-Request-Deadline", "1"), null});
    assertEquals(reads, headerReads.size(), "nested handlers read nothing");
    assertEquals(NOW + 5_000 - 50, CurrentDeadline.get());
    scope.exit();
    scope.exit();
    assertEquals(NOW + 5_000 - 50, CurrentDeadline.get(), "still inside the first filter");
    scope.exit();
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
  }

  @Test
  void leavingTheOutermostRestoresWhatTheThreadHeldAndARequestWithoutDeadlineClearsIt() {
    long held = CurrentDeadline.swap(NOW + 99);
    try {
      scope.enter("servlet", new Object[] {jakartaRequest(), null});
      assertEquals(CurrentDeadline.NONE, CurrentDeadline.get(), "no header: no deadline, not the one the thread held");
      scope.exit();
      assertEquals(NOW + 99, CurrentDeadline.get());
    } finally {
      CurrentDeadline.restore(held);
    }
  }

  @Test
  void eachInboundFormatIsReadFromEitherApi() {
    assertEquals(NOW + 2_000 - 50, deadlineOf(jakartaRequest("grpc-timeout", "2S")));
    assertEquals(NOW + 750 - 50, deadlineOf(jakartaRequest("x-request-timeout-ms", "750")));
    assertEquals(NOW + 3_000 - 50, deadlineOf(request(javax.servlet.http.HttpServletRequest.class,
        "X-Request-Deadline", Long.toString(NOW + 3_000))));
    assertEquals(NOW + 1_000 - 50, deadlineOf(jakartaRequest(
        "X-Request-Deadline", Long.toString(NOW + 3_000), "grpc-timeout", "1S")), "the earliest wins");
  }

  @Test
  void aRequestWithoutDeadlineGetsTheDefaultBudget() {
    InboundRequestScope budgeted = scope(DeadlineConfig.defaults().withInboundDefaultBudget(Duration.ofSeconds(3)));
    budgeted.enter("servlet", new Object[] {jakartaRequest(), null});
    try {
      assertEquals(NOW + 3_000, CurrentDeadline.get());
    } finally {
      budgeted.exit();
    }
    headerReads.clear();
    budgeted.enter("servlet", new Object[] {request(jakarta.servlet.ServletRequest.class), null});
    try {
      assertEquals(NOW + 3_000, CurrentDeadline.get(), "a request that is not HTTP has no headers to read");
      assertEquals(List.of(), headerReads);
    } finally {
      budgeted.exit();
    }
  }

  @Test
  void theHeadersOfAnUntrustedPeersRequestAreNotEvenRead() {
    InboundRequestScope trusting = scope(DeadlineConfig.defaults().withReplyMargin(Duration.ofMillis(50))
        .withTrustedPeers(List.of(CidrBlock.parse("10.0.0.0/8"), CidrBlock.parse("fd00::/8"))));
    peer = "203.0.113.9";
    assertEquals(CurrentDeadline.NONE, trusting.deadlineOf(jakartaRequest("X-Request-Deadline", "0")));
    assertEquals(List.of(), headerReads);
    peer = "fd00::7";
    assertEquals(NOW - 50, trusting.deadlineOf(request(javax.servlet.http.HttpServletRequest.class,
        "X-Request-Deadline", Long.toString(NOW))));
  }

  @Test
  void aRequestWhoseHeadersCannotBeReadRunsWithoutDeadlineAndOneWarning() {
    Object broken = Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class}, (proxy, method, args) -> {
          throw new IllegalStateException("recycled");
        });
    String stderr = capturingStderr(() -> {
      for (int i = 0; i < 3; i++) {
        long held = CurrentDeadline.swap(NOW + 99);
        try {
          scope.enter("servlet", new Object[] {broken, null});
          assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
          scope.exit();
          assertEquals(NOW + 99, CurrentDeadline.get(), "the scope still restores");
        } finally {
          CurrentDeadline.restore(held);
        }
      }
      scope.enter("servlet", new Object[] {null, null});
      assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
      scope.exit();
    });
    assertEquals(1, stderr.lines().count(), stderr);
    assertTrue(stderr.startsWith("levee: could not read the deadline of an inbound request"), stderr);
    assertTrue(stderr.contains("recycled"), stderr);
  }

  @Test
  void anExitWithoutEntryChangesNothing() {
    long held = CurrentDeadline.swap(NOW + 1);
    try {
      scope.exit();
      assertEquals(NOW + 1, CurrentDeadline.get());
    } finally {
      CurrentDeadline.restore(held);
    }
  }

  long deadlineOf(Object request) {
    return scope.deadlineOf(request);
  }

  static String capturingStderr(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
