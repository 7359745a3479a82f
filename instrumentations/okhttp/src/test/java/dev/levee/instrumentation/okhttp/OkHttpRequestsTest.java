package dev.levee.instrumentation.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.CallSpec;
import java.util.Collections;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

class OkHttpRequestsTest {

  final OkHttpRequests requests = new OkHttpRequests(new dev.levee.core.deadline.DeadlineHeaders(dev.levee.core.config.DeadlineConfig.defaults()));

  @Test
  void targetFillsInTheSchemesDefaultPortAndLowerCasesTheHost() throws Exception {
    assertEquals(Target.of("api.example.com", 443), requests.spec(get("https://API.Example.com/x")).target());
    assertEquals(Target.of("api.example.com", 80), requests.spec(get("http://api.example.com/x")).target());
    assertEquals(Target.of("127.0.0.1", 8080), requests.spec(get("http://127.0.0.1:8080/")).target());
  }

  @Test
  void idempotencyKeyAndMethodAreRead() throws Exception {
    CallSpec spec = requests.spec(new Request.Builder().url("http://h/")
        .post(RequestBody.create(MediaType.parse("text/plain"), "x")).header("idempotency-key", "k1").build());
    assertEquals("POST", spec.method());
    assertTrue(spec.hasIdempotencyKey());
    assertFalse(requests.spec(get("http://h/")).hasIdempotencyKey());
  }

  @Test
  void bodiesThatReplayAreRecognisedAndOneShotOrDuplexBodiesAreNot() throws Exception {
    assertTrue(OkHttpRequests.isReplayable(get("http://h/")));
    assertTrue(OkHttpRequests.isReplayable(post(RequestBody.create(MediaType.parse("text/plain"), "a"))));
    assertTrue(OkHttpRequests.isReplayable(post(RequestBody.create(MediaType.parse("text/plain"), new byte[] {1}))));
    assertFalse(OkHttpRequests.isReplayable(post(new StreamingBody(true, false))));
    assertFalse(OkHttpRequests.isReplayable(post(new StreamingBody(false, true))));
    assertTrue(OkHttpRequests.isReplayable(post(new StreamingBody(false, false))), "OkHttp resends these itself");
  }

  @Test
  void anAttemptCarriesTheDeadlineHeaderAndEverythingElseOfTheOriginal() throws Exception {
    RequestBody body = RequestBody.create(MediaType.parse("text/plain"), "payload");
    Request original = new Request.Builder().url("http://h/x?q=1").header("Accept", "text/plain")
        .header("X-Request-Deadline", "123").put(body).tag(String.class, "app-tag").build();

    Request attempt = (Request) requests.forAttempt(original, 1_700_000_000_000L);

    assertEquals(Collections.singletonList("1700000000000"), attempt.headers("X-Request-Deadline"));
    assertEquals("text/plain", attempt.header("Accept"));
    assertEquals(original.url(), attempt.url());
    assertEquals("PUT", attempt.method());
    assertSame(body, attempt.body());
    assertEquals("app-tag", attempt.tag(String.class));
    assertEquals("123", original.header("X-Request-Deadline"), "the app's request is left as it was");
  }

  @Test
  void anEarlierDeadlineTheAppSetIsInherited() throws Exception {
    assertEquals(1234L, requests.spec(new Request.Builder().url("http://h/").header("X-Request-Deadline", "1234")
        .build()).inheritedDeadlineMillis());
    assertEquals(CallSpec.NO_DEADLINE, requests.spec(new Request.Builder().url("http://h/")
        .header("X-Request-Deadline", "soon").build()).inheritedDeadlineMillis());
    assertEquals(CallSpec.NO_DEADLINE, requests.spec(get("http://h/")).inheritedDeadlineMillis());
  }

  static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  static Request post(RequestBody body) {
    return new Request.Builder().url("http://h/").post(body).build();
  }

  /** A body of the app's own, which may declare itself one-shot or duplex. */
  static final class StreamingBody extends RequestBody {
    private final boolean oneShot;
    private final boolean duplex;

    StreamingBody(boolean oneShot, boolean duplex) {
      this.oneShot = oneShot;
      this.duplex = duplex;
    }

    @Override
    public MediaType contentType() {
      return MediaType.parse("application/octet-stream");
    }

    @Override
    public void writeTo(BufferedSink sink) throws java.io.IOException {
      sink.writeUtf8("streamed");
    }

    @Override
    public boolean isOneShot() {
      return oneShot;
    }

    @Override
    public boolean isDuplex() {
      return duplex;
    }
  }

  @Test
  void aHostWhoseRuleSendsNoDeadlineHeaderGetsTheAppsRequestAsItIs() throws Exception {
    LeveeConfig config = ConfigLoader.parse("http:\n  hosts:\n    \"api.partner.com\": { sendDeadlineHeader: false }\n", "t");
    OkHttpRequests partnerOff = new OkHttpRequests(new DeadlineHeaders(config.deadline(), config.http()));
    Request own = new Request.Builder().url("https://api.partner.com/x").header("X-Request-Deadline", "99").build();
    assertSame(own, partnerOff.forAttempt(own, 1_700_000_000_000L));
    Request internal = (Request) partnerOff.forAttempt(get("https://billing.internal/x"), 42);
    assertEquals("42", internal.header("X-Request-Deadline"), "other hosts get it");
  }
}
