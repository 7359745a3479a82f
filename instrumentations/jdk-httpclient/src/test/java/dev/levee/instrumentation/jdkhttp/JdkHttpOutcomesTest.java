package dev.levee.instrumentation.jdkhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.BulkheadFullException;
import dev.levee.core.pipeline.CircuitOpenException;
import dev.levee.core.pipeline.Rejection;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

class JdkHttpOutcomesTest {

  final JdkHttpOutcomes outcomes = JdkHttpOutcomes.INSTANCE;

  @Test
  void exceptionsMapToTheFailureKinds() {
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new HttpConnectTimeoutException("connect")));
    assertEquals(Outcome.TIMEOUT, outcomes.classify(new HttpTimeoutException("request timed out")));
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new ConnectException("refused")));
    ConnectException unresolved = new ConnectException();
    unresolved.initCause(new UnresolvedAddressException());
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new IOException("wrapped", unresolved)));
    assertEquals(Outcome.RESET, outcomes.classify(new EOFException("EOF reached while reading")));
    assertEquals(Outcome.RESET, outcomes.classify(new IOException("Connection reset")));
    assertEquals(Outcome.APPLICATION_ERROR, outcomes.classify(new IllegalArgumentException("bad header")));
  }

  @Test
  void rejectionsAreTheTypesTheAppAlreadyHandles() {
    assertTrue(outcomes.rejection(Rejection.CIRCUIT_OPEN, "m") instanceof CircuitOpenException);
    assertTrue(outcomes.rejection(Rejection.BULKHEAD_FULL, "m") instanceof BulkheadFullException);
    assertTrue(outcomes.rejection(Rejection.RATE_LIMITED, "m") instanceof dev.levee.core.pipeline.RateLimitedException);
    assertTrue(outcomes.rejection(Rejection.DEADLINE_EXPIRED, "m") instanceof HttpTimeoutException);
    assertTrue(outcomes.rejection(Rejection.CIRCUIT_OPEN, "m") instanceof IOException);
  }
}
