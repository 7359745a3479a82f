package dev.levee.instrumentation.httpurlconnection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.BulkheadFullException;
import dev.levee.core.pipeline.Rejection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class HttpUrlConnectionOutcomesTest {

  final HttpUrlConnectionOutcomes outcomes = new HttpUrlConnectionOutcomes(() -> false);

  @Test
  void theJdksExceptionsAsOutcomes() {
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new SocketTimeoutException("connect timed out")), "JDK 17");
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new SocketTimeoutException("Connect timed out")), "JDK 25");
    assertEquals(Outcome.TIMEOUT, outcomes.classify(new SocketTimeoutException("Read timed out")));
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new ConnectException("Connection refused")));
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new UnknownHostException("nowhere.invalid")));
    assertEquals(Outcome.RESET, outcomes.classify(new SocketException("Unexpected end of file from server")));
    assertEquals(Outcome.RESET, outcomes.classify(new IOException("Premature EOF")));
    assertEquals(Outcome.APPLICATION_ERROR, outcomes.classify(new IllegalStateException("the app's own")));
  }

  @Test
  void whatAnAttemptThrowsOnceTheAppDisconnectedIsTheAppsOwn() {
    assertEquals(Outcome.LOCAL, new HttpUrlConnectionOutcomes(() -> true).classify(new SocketException("Socket closed")));
  }

  @Test
  void rejectionsAreIOExceptionsAndAnExpiredDeadlineIsTheJdksReadTimeoutType() {
    assertTrue(outcomes.rejection(Rejection.BULKHEAD_FULL, "bulkhead full") instanceof BulkheadFullException);
    assertTrue(outcomes.rejection(Rejection.DEADLINE_EXPIRED, "expired") instanceof SocketTimeoutException);
  }
}
