package dev.levee.instrumentation.apache5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.BulkheadFullException;
import dev.levee.core.pipeline.CircuitOpenException;
import dev.levee.core.pipeline.Rejection;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.junit.jupiter.api.Test;

class ApacheOutcomesTest {

  @Test
  void httpClientsExceptionsMapToTheFailureKinds() {
    HttpHost host = new HttpHost("http", "127.0.0.1", 9);
    assertEquals(Outcome.CONNECT_FAILURE, ApacheOutcomes.classify(new HttpHostConnectException("Connect to 127.0.0.1:9 failed: refused", host)));
    assertEquals(Outcome.CONNECT_FAILURE, ApacheOutcomes.classify(new ConnectTimeoutException("connect timed out")),
        "a SocketTimeoutException subclass, but nothing was sent");
    assertEquals(Outcome.CONNECT_FAILURE, ApacheOutcomes.classify(new UnknownHostException("nowhere.invalid")));
    assertEquals(Outcome.TIMEOUT, ApacheOutcomes.classify(new SocketTimeoutException("Read timed out")));
    assertEquals(Outcome.LOCAL, ApacheOutcomes.classify(new ConnectionRequestTimeoutException("pool")),
        "waiting for the app's own pool is not the dependency's failure");
    assertEquals(Outcome.TIMEOUT, ApacheOutcomes.classify(new RequestFailedException("Request aborted")));
    assertEquals(Outcome.RESET, ApacheOutcomes.classify(new NoHttpResponseException("127.0.0.1:9 failed to respond")));
    assertEquals(Outcome.RESET, ApacheOutcomes.classify(new ConnectionClosedException("Connection closed by peer")));
    assertEquals(Outcome.RESET, ApacheOutcomes.classify(new SocketException("Connection reset")));
    assertEquals(Outcome.APPLICATION_ERROR, ApacheOutcomes.classify(new IllegalStateException("bad header")));
  }

  @Test
  void statusAndRetryAfterAreReadFromTheResponse() throws Throwable {
    BasicClassicHttpResponse unavailable = new BasicClassicHttpResponse(503);
    unavailable.addHeader("Retry-After", "2");
    assertEquals(503, ApacheOutcomes.code(unavailable));
    assertEquals(2000, ApacheOutcomes.retryAfterMillis(unavailable, System.currentTimeMillis()));
    BasicClassicHttpResponse error = new BasicClassicHttpResponse(500);
    error.addHeader("Retry-After", "2");
    assertEquals(-1, ApacheOutcomes.retryAfterMillis(error, 0), "only 429 and 503");
    assertEquals(-1, ApacheOutcomes.retryAfterMillis(new BasicClassicHttpResponse(429), 0));
  }

  @Test
  void rejectionsAreTheTypesTheAppAlreadyHandles() {
    assertTrue(ApacheOutcomes.rejection(Rejection.CIRCUIT_OPEN, "m") instanceof CircuitOpenException);
    assertTrue(ApacheOutcomes.rejection(Rejection.BULKHEAD_FULL, "m") instanceof BulkheadFullException);
    assertTrue(ApacheOutcomes.rejection(Rejection.RATE_LIMITED, "m") instanceof dev.levee.core.pipeline.RateLimitedException);
    assertTrue(ApacheOutcomes.rejection(Rejection.DEADLINE_EXPIRED, "m") instanceof SocketTimeoutException);
    assertTrue(ApacheOutcomes.rejection(Rejection.BULKHEAD_FULL, "m") instanceof IOException);
  }
}
