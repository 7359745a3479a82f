package dev.levee.instrumentation.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Outcome;
import dev.levee.core.pipeline.BulkheadFullException;
import dev.levee.core.pipeline.CircuitOpenException;
import dev.levee.core.pipeline.Rejection;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;

class OkHttpOutcomesTest {

  final OkHttpOutcomes outcomes = OkHttpOutcomes.INSTANCE;

  @Test
  void exceptionsMapToTheFailureKinds() {
    ConnectException refused = new ConnectException("Failed to connect to /127.0.0.1:1");
    refused.initCause(new ConnectException("Connection refused"));
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(refused));
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new UnknownHostException("nowhere.invalid")));
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new SSLHandshakeException("bad cert")));
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new SocketTimeoutException("connect timed out")));
    assertEquals(Outcome.CONNECT_FAILURE, outcomes.classify(new SocketTimeoutException("Connect timed out")));

    InterruptedIOException callTimeout = new InterruptedIOException("timeout");
    callTimeout.initCause(new java.net.SocketException("Socket closed"));
    assertEquals(Outcome.TIMEOUT, outcomes.classify(callTimeout));
    assertEquals(Outcome.TIMEOUT, outcomes.classify(new SocketTimeoutException("timeout")));
    assertEquals(Outcome.TIMEOUT, outcomes.classify(new SocketTimeoutException("Read timed out")));

    assertEquals(Outcome.RESET, outcomes.classify(new IOException("unexpected end of stream on http://127.0.0.1:1/...",
        new EOFException("\\n not found: limit=0"))));
    assertEquals(Outcome.RESET, outcomes.classify(new java.net.SocketException("Connection reset")));
    assertEquals(Outcome.APPLICATION_ERROR, outcomes.classify(new IllegalArgumentException("bad header")));
  }

  @Test
  void rejectionsAreTheTypesTheAppAlreadyHandles() {
    assertTrue(outcomes.rejection(Rejection.CIRCUIT_OPEN, "m") instanceof CircuitOpenException);
    assertTrue(outcomes.rejection(Rejection.BULKHEAD_FULL, "m") instanceof BulkheadFullException);
    assertTrue(outcomes.rejection(Rejection.RATE_LIMITED, "m") instanceof dev.levee.core.pipeline.RateLimitedException);
    Exception expired = outcomes.rejection(Rejection.DEADLINE_EXPIRED, "levee: deadline expired for h:80");
    assertEquals(InterruptedIOException.class, expired.getClass(), "OkHttp's own timeout type");
    assertEquals("levee: deadline expired for h:80", expired.getMessage());
    assertTrue(outcomes.rejection(Rejection.CIRCUIT_OPEN, "m") instanceof IOException);
  }

  @Test
  void aResponseIsItsStatusAndRetryAfterIsReadFor429And503Only() {
    assertEquals(Outcome.status(503), outcomes.classify(response(503, "7")));
    assertEquals(7000, outcomes.retryAfterMillis(response(503, "7"), 0));
    assertEquals(2000, outcomes.retryAfterMillis(response(429, "2"), 0));
    assertEquals(-1, outcomes.retryAfterMillis(response(500, "7"), 0));
    assertEquals(-1, outcomes.retryAfterMillis(response(503, null), 0));
  }

  @Test
  void aDiscardedResponseIsClosed() {
    AtomicBoolean closed = new AtomicBoolean();
    Source source = new ForwardingSource(new Buffer().writeUtf8("body")) {
      @Override
      public void close() throws IOException {
        closed.set(true);
        super.close();
      }
    };
    Response response = response(503, null).newBuilder()
        .body(ResponseBody.create(MediaType.parse("text/plain"), 4, Okio.buffer(source))).build();

    outcomes.discard(response);

    assertTrue(closed.get(), "the body was closed, so its connection goes back to the pool");
  }

  static Response response(int code, String retryAfter) {
    Response.Builder b = new Response.Builder()
        .request(new Request.Builder().url("http://h/").build())
        .protocol(Protocol.HTTP_1_1)
        .code(code)
        .message("m")
        .body(ResponseBody.create(MediaType.parse("text/plain"), "x"));
    if (retryAfter != null) {
      b.header("Retry-After", retryAfter);
    }
    return b.build();
  }
}
