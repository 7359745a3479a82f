package dev.levee.instrumentation.apache4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.CallSpec;
import java.io.ByteArrayInputStream;
import java.net.URI;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpVersion;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;

/** Against HttpClient 4.5's real classes: what a call is, and the copy each attempt sends. */
class ApacheRequestsTest {

  final ApacheRequests requests = new ApacheRequests(new DeadlineHeaders(DeadlineConfig.defaults()));
  final HttpClient4Classes hc = HttpClient4Classes.beside(HttpClients.createMinimal());

  @Test
  void targetFillsInTheSchemesDefaultPortAndTheAppsHostWins() throws Throwable {
    assertEquals(Target.of("api.example.com", 443), requests.spec(hc, null, new HttpGet("https://API.Example.com/x")).target());
    assertEquals(Target.of("127.0.0.1", 8080), requests.spec(hc, null, new HttpGet("http://127.0.0.1:8080/")).target());
    assertEquals(Target.of("other", 9000),
        requests.spec(hc, new HttpHost("other", 9000, "http"), new BasicHttpRequest("GET", "/x")).target());
  }

  @Test
  void methodIdempotencyKeyInheritedDeadlineAndReplayability() throws Throwable {
    HttpPost post = new HttpPost("http://h/orders");
    post.addHeader("Idempotency-Key", "k1");
    post.addHeader("X-Request-Deadline", "1234");
    post.setEntity(new StringEntity("{}"));
    CallSpec spec = requests.spec(hc, null, post);
    assertEquals("POST", spec.method());
    assertTrue(spec.hasIdempotencyKey());
    assertTrue(spec.isReplayable());
    assertEquals(1234L, spec.inheritedDeadlineMillis());
    post.setEntity(new InputStreamEntity(new ByteArrayInputStream(new byte[3])));
    assertFalse(requests.spec(hc, null, post).isReplayable(), "a stream is sent once");
    assertEquals(CallSpec.NO_DEADLINE, requests.spec(hc, null, new HttpGet("http://h/")).inheritedDeadlineMillis());
  }

  @Test
  void theCopyCarriesTheAppsRequestAndTheDeadlineAndLeavesTheAppsObjectAlone() throws Throwable {
    HttpPost post = new HttpPost("http://h/orders?x=1");
    post.setProtocolVersion(HttpVersion.HTTP_1_0);
    post.addHeader("Accept", "text/plain");
    post.addHeader("X-Request-Deadline", "1");
    StringEntity body = new StringEntity("{}");
    post.setEntity(body);
    RequestConfig config = RequestConfig.custom().setSocketTimeout(123).build();

    Object copy = requests.copy(hc, post, config, System.currentTimeMillis() + 5_000);

    HttpRequestBase c = (HttpRequestBase) copy;
    assertNotSame(post, c);
    assertEquals("POST", c.getMethod());
    assertEquals(URI.create("http://h/orders?x=1"), c.getURI());
    assertEquals(HttpVersion.HTTP_1_0, c.getProtocolVersion());
    assertEquals("text/plain", c.getFirstHeader("Accept").getValue());
    assertEquals(1, c.getHeaders("X-Request-Deadline").length, "Levee's deadline replaces the app's in the copy");
    assertTrue(Long.parseLong(c.getFirstHeader("X-Request-Deadline").getValue()) > 1);
    assertSame(body, ((HttpEntityEnclosingRequest) c).getEntity());
    assertSame(config, c.getConfig());
    assertEquals("1", post.getFirstHeader("X-Request-Deadline").getValue(), "the app's request is as it was");
    assertEquals(2, post.getAllHeaders().length);
    assertEquals(null, post.getConfig());
  }

  @Test
  void withoutADeadlineTheAppsHeaderGoesAsItIs() throws Throwable {
    HttpGet get = new HttpGet("http://h/");
    get.addHeader("X-Request-Deadline", "42");
    HttpRequestBase c = (HttpRequestBase) requests.copy(hc, get, RequestConfig.DEFAULT, CallSpec.NO_DEADLINE);
    assertEquals("42", c.getFirstHeader("X-Request-Deadline").getValue());
  }
}
