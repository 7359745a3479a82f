package dev.levee.instrumentation.apache4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.levee.core.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.http.HttpHost;
import org.apache.http.HttpVersion;
import org.apache.http.NoHttpResponseException;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.ConnectionPoolTimeoutException;
import org.apache.http.conn.HttpHostConnectException;
import org.apache.http.impl.execchain.RequestAbortedException;
import org.apache.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

class ApacheOutcomesTest {

  @Test
  void exceptionsAreClassifiedByWhatTheyMeanForTheTarget() {
    assertEquals(Outcome.LOCAL, ApacheOutcomes.classify(new ConnectionPoolTimeoutException("pool")), "the app's own pool");
    assertEquals(Outcome.CONNECT_FAILURE, ApacheOutcomes.classify(new ConnectTimeoutException("connect")));
    assertEquals(Outcome.CONNECT_FAILURE, ApacheOutcomes.classify(
        new HttpHostConnectException(new ConnectException("refused"), new HttpHost("h", 1))));
    assertEquals(Outcome.TIMEOUT, ApacheOutcomes.classify(new SocketTimeoutException("read")));
    assertEquals(Outcome.TIMEOUT, ApacheOutcomes.classify(new RequestAbortedException("aborted")));
    assertEquals(Outcome.RESET, ApacheOutcomes.classify(new NoHttpResponseException("h failed to respond")));
    assertEquals(Outcome.RESET, ApacheOutcomes.classify(new IOException("Connection reset")));
    assertEquals(Outcome.APPLICATION_ERROR, ApacheOutcomes.classify(new ClientProtocolException("circular redirect")));
  }

  @Test
  void statusAndRetryAfterAreRead() throws Throwable {
    BasicHttpResponse busy = new BasicHttpResponse(HttpVersion.HTTP_1_1, 503, "busy");
    busy.addHeader("Retry-After", "2");
    assertEquals(503, ApacheOutcomes.code(busy));
    assertEquals(2000, ApacheOutcomes.retryAfterMillis(busy, 0));
    BasicHttpResponse error = new BasicHttpResponse(HttpVersion.HTTP_1_1, 500, "error");
    error.addHeader("Retry-After", "2");
    assertEquals(-1, ApacheOutcomes.retryAfterMillis(error, 0), "read on 429 and 503 only");
  }
}
