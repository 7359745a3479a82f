package dev.levee.instrumentation.apache5;

import org.apache.hc.core5.util.Timeout;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.CallSpec;
import java.io.ByteArrayInputStream;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.Test;

class ApacheRequestsTest {

  final ApacheRequests requests = new ApacheRequests(new dev.levee.core.deadline.DeadlineHeaders(dev.levee.core.config.DeadlineConfig.defaults()));
  static final Target H = Target.of("h", 80);

  @Test
  void targetFillsInTheSchemesDefaultPortAndLowerCasesTheHost() throws Throwable {
    assertEquals(Target.of("api.example.com", 443), requests.spec(null, new HttpGet("https://API.Example.com/x"), true).target());
    assertEquals(Target.of("api.example.com", 80), requests.spec(null, new HttpGet("http://api.example.com/x"), true).target());
    assertEquals(Target.of("127.0.0.1", 8080),
        requests.spec(null, ClassicRequestBuilder.get("http://127.0.0.1:8080/").build(), true).target());
    assertEquals(Target.of("other", 9000), requests.spec(new HttpHost("http", "other", 9000), new HttpGet("/x"), true).target(),
        "the HttpHost the app passed wins, as in HttpClient");
  }

  @Test
  void methodIdempotencyKeyAndInheritedDeadlineAreRead() throws Throwable {
    HttpPost post = new HttpPost("http://h/orders");
    post.addHeader("Idempotency-Key", "k1");
    post.addHeader("X-Request-Deadline", "1234");
    CallSpec spec = requests.spec(null, post, true);
    assertEquals("POST", spec.method());
    assertTrue(spec.hasIdempotencyKey());
    assertEquals(1234L, spec.inheritedDeadlineMillis());
    assertEquals(CallSpec.NO_DEADLINE, requests.spec(null, new HttpGet("http://h/"), true).inheritedDeadlineMillis());
  }

  @Test
  void aNonRepeatableEntityIsNotReplayable() throws Throwable {
    assertTrue(ApacheRequests.hasReplayableEntity(new HttpGet("http://h/")));
    HttpPost repeatable = new HttpPost("http://h/");
    repeatable.setEntity(new StringEntity("x"));
    assertTrue(ApacheRequests.hasReplayableEntity(repeatable));
    HttpPost oneShot = new HttpPost("http://h/");
    oneShot.setEntity(new InputStreamEntity(new ByteArrayInputStream(new byte[] {1}), ContentType.TEXT_PLAIN));
    assertFalse(ApacheRequests.hasReplayableEntity(oneShot));
  }

  @Test
  void eachAttemptSendsACopyAndTheAppsRequestIsNeverChanged() throws Throwable {
    HttpPost own = new HttpPost("http://h:81/orders?x=1");
    own.addHeader("Accept", "text/plain");
    own.addHeader("X-Request-Deadline", "99");
    StringEntity body = new StringEntity("order");
    own.setEntity(body);
    RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(400)).build();
    HttpClient5Classes hc = HttpClient5Classes.beside(own);

    HttpUriRequestBase copy = (HttpUriRequestBase) requests.classicCopy(hc, own, config, 1_700_000_000_000L);

    assertNotSame(own, copy);
    assertEquals("POST", copy.getMethod());
    assertEquals(own.getUri(), copy.getUri());
    assertEquals("text/plain", copy.getFirstHeader("Accept").getValue());
    assertEquals(1, copy.getHeaders("X-Request-Deadline").length, "the deadline header replaced, not added");
    assertEquals("1700000000000", copy.getFirstHeader("X-Request-Deadline").getValue());
    assertSame(body, copy.getEntity(), "the app's body, sent again only when it is repeatable");
    assertSame(config, copy.getConfig());
    assertEquals(2, own.getHeaders().length, "the app's request as the app made it");
    assertEquals("99", own.getFirstHeader("X-Request-Deadline").getValue());
    assertNull(own.getConfig());

    HttpUriRequestBase noDeadline = (HttpUriRequestBase) requests.classicCopy(hc, own, config, CallSpec.NO_DEADLINE);
    assertEquals("99", noDeadline.getFirstHeader("X-Request-Deadline").getValue(), "without a deadline the app's header goes as it is");
  }

  @Test
  void anAsyncHeadIsCopiedWithItsBody() throws Throwable {
    SimpleHttpRequest own = SimpleHttpRequest.create("PUT", java.net.URI.create("http://h:81/p"));
    own.setBody("b", ContentType.TEXT_PLAIN);
    RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(400)).build();

    SimpleHttpRequest copy = (SimpleHttpRequest) requests.asyncCopy(HttpClient5Classes.beside(own), own, config, 42L);

    assertNotSame(own, copy);
    assertEquals("b", copy.getBodyText());
    assertSame(config, copy.getConfig());
    assertEquals("42", copy.getFirstHeader("X-Request-Deadline").getValue());
    assertNull(own.getFirstHeader("X-Request-Deadline"));
    assertNull(own.getConfig());
  }

  @Test
  void aHostWhoseRuleSendsNoDeadlineHeaderGetsNoneAndTheAppsOwnStays() throws Throwable {
    LeveeConfig config = ConfigLoader.parse("http:\n  hosts:\n    \"api.partner.com\": { sendDeadlineHeader: false }\n", "t");
    ApacheRequests partnerOff = new ApacheRequests(new DeadlineHeaders(config.deadline(), config.http()));
    HttpClient5Classes hc = HttpClient5Classes.beside(new HttpGet("http://h/"));
    Target partner = Target.of("api.partner.com", 443);
    HttpGet get = new HttpGet("https://api.partner.com/x");
    HttpUriRequestBase copy = (HttpUriRequestBase) partnerOff.classicCopy(hc, get, null,
        partnerOff.headerDeadline(1_700_000_000_000L, partner));
    assertNull(copy.getFirstHeader("X-Request-Deadline"));
    HttpGet own = new HttpGet("https://api.partner.com/x");
    own.addHeader("X-Request-Deadline", "99");
    copy = (HttpUriRequestBase) partnerOff.classicCopy(hc, own, null, partnerOff.headerDeadline(42, partner));
    assertEquals("99", copy.getFirstHeader("X-Request-Deadline").getValue());
    copy = (HttpUriRequestBase) partnerOff.classicCopy(hc, get, null,
        partnerOff.headerDeadline(42, Target.of("billing.internal", 443)));
    assertEquals("42", copy.getFirstHeader("X-Request-Deadline").getValue(), "other hosts get it");
  }

  @Test
  void anAsyncRequestIsReadThroughItsProducerWithoutSendingIt() throws Throwable {
    SimpleHttpRequest request = SimpleHttpRequest.create("PUT", java.net.URI.create("http://h:81/p"));
    request.setBody("b", ContentType.TEXT_PLAIN);
    SimpleRequestProducer producer = SimpleRequestProducer.create(request);
    Object[] peeked = ApacheAsyncHooks.peek(HttpClient5Classes.beside(producer), producer, null);
    assertTrue(peeked[0] == request);
    assertTrue(peeked[1] != null, "it has a body");
    assertEquals(Target.of("h", 81), requests.spec(null, peeked[0], true).target());
  }
}
