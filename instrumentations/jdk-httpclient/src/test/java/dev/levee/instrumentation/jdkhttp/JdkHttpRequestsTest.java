package dev.levee.instrumentation.jdkhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.Target;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.DeadlineConfig;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.CallSpec;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;

class JdkHttpRequestsTest {

  final JdkHttpRequests requests = new JdkHttpRequests(new DeadlineHeaders(DeadlineConfig.defaults()));

  @Test
  void targetFillsInTheSchemesDefaultPortAndLowerCasesTheHost() {
    assertEquals(Target.of("api.example.com", 443),
        requests.spec(HttpRequest.newBuilder(URI.create("https://API.Example.com/x")).build()).target());
    assertEquals(Target.of("api.example.com", 80),
        requests.spec(HttpRequest.newBuilder(URI.create("http://api.example.com/x")).build()).target());
    assertEquals(Target.of("127.0.0.1", 8080),
        requests.spec(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/")).build()).target());
  }

  @Test
  void idempotencyKeyAndMethodAreRead() {
    CallSpec spec = requests.spec(HttpRequest.newBuilder(URI.create("http://h/"))
        .POST(BodyPublishers.ofString("x")).header("Idempotency-Key", "k1").build());
    assertEquals("POST", spec.method());
    assertTrue(spec.hasIdempotencyKey());
  }

  @Test
  void bodiesThatReplayAreRecognisedAndOneShotBodiesAreNot() {
    assertTrue(JdkHttpRequests.isReplayable(HttpRequest.newBuilder(URI.create("http://h/")).GET().build()));
    assertTrue(JdkHttpRequests.isReplayable(post(BodyPublishers.ofString("a"))));
    assertTrue(JdkHttpRequests.isReplayable(post(BodyPublishers.ofByteArray(new byte[] {1}))));
    assertTrue(JdkHttpRequests.isReplayable(post(BodyPublishers.ofByteArrays(List.of(new byte[] {1})))));
    assertTrue(JdkHttpRequests.isReplayable(post(BodyPublishers.noBody())));
    assertFalse(JdkHttpRequests.isReplayable(post(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[1])))));
    assertFalse(JdkHttpRequests.isReplayable(post(BodyPublishers.fromPublisher(new SubmissionPublisher<ByteBuffer>()))));
  }

  @Test
  void anAttemptCarriesTheDeadlineHeaderAndTheTighterTimeout() {
    HttpRequest original = HttpRequest.newBuilder(URI.create("http://h/x"))
        .header("Accept", "text/plain").header("X-Request-Deadline", "123").timeout(Duration.ofSeconds(10)).build();
    HttpRequest attempt = requests.forAttempt(original, Duration.ofSeconds(2).toNanos(), 1_700_000_000_000L);
    assertEquals(List.of("1700000000000"), attempt.headers().allValues("X-Request-Deadline"));
    assertEquals(List.of("text/plain"), attempt.headers().allValues("Accept"));
    assertEquals(Duration.ofSeconds(2), attempt.timeout().get());
    assertEquals(original.uri(), attempt.uri());
    assertEquals(original.method(), attempt.method());

    HttpRequest stricter = requests.forAttempt(original, Duration.ofSeconds(30).toNanos(), 1L);
    assertEquals(Duration.ofSeconds(10), stricter.timeout().get(), "the app's own stricter timeout wins");
  }

  @Test
  void anEarlierDeadlineTheAppSetIsInherited() {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://h/")).header("X-Request-Deadline", "1234").build();
    assertEquals(1234L, requests.spec(request).inheritedDeadlineMillis());
    HttpRequest garbage = HttpRequest.newBuilder(URI.create("http://h/")).header("X-Request-Deadline", "soon").build();
    assertEquals(CallSpec.NO_DEADLINE, requests.spec(garbage).inheritedDeadlineMillis());
  }

  @Test
  void theThreadsDeadlineIsInheritedAndTheEarlierOfItAndTheAppsWins() {
    long before = CurrentDeadline.swap(5_000L);
    try {
      assertEquals(5_000L, requests.spec(HttpRequest.newBuilder(URI.create("http://h/")).build()).inheritedDeadlineMillis());
      HttpRequest earlier = HttpRequest.newBuilder(URI.create("http://h/")).header("X-Request-Deadline", "4000").build();
      assertEquals(4_000L, requests.spec(earlier).inheritedDeadlineMillis());
      HttpRequest later = HttpRequest.newBuilder(URI.create("http://h/")).header("X-Request-Deadline", "6000").build();
      assertEquals(5_000L, requests.spec(later).inheritedDeadlineMillis());
    } finally {
      CurrentDeadline.restore(before);
    }
  }

  @Test
  void timeoutMillisSendsTheTimeLeftWhenTheAttemptStarts() {
    JdkHttpRequests relative = new JdkHttpRequests(new DeadlineHeaders(
        DeadlineConfig.defaults().withHeader("X-Timeout-Ms").withFormat(DeadlineConfig.Format.TIMEOUT_MILLIS)));
    HttpRequest attempt = relative.forAttempt(HttpRequest.newBuilder(URI.create("http://h/x")).build(),
        Duration.ofSeconds(2).toNanos(), System.currentTimeMillis() + 60_000);
    long left = Long.parseLong(attempt.headers().firstValue("X-Timeout-Ms").orElseThrow());
    assertTrue(left > 55_000 && left <= 60_000, "about a minute left: " + left);
    assertFalse(attempt.headers().firstValue("X-Request-Deadline").isPresent());
  }

  private static HttpRequest post(HttpRequest.BodyPublisher body) {
    return HttpRequest.newBuilder(URI.create("http://h/")).POST(body).build();
  }

  @Test
  void aHostWhoseRuleSendsNoDeadlineHeaderGetsNoneAndTheAppsOwnStays() throws Exception {
    LeveeConfig config = ConfigLoader.parse("http:\n  hosts:\n    \"api.partner.com\": { sendDeadlineHeader: false }\n", "t");
    JdkHttpRequests partnerOff = new JdkHttpRequests(new DeadlineHeaders(config.deadline(), config.http()));
    HttpRequest attempt = partnerOff.forAttempt(HttpRequest.newBuilder(URI.create("https://api.partner.com/x")).build(),
        Duration.ofSeconds(2).toNanos(), 1_700_000_000_000L);
    assertEquals(java.util.Optional.empty(), attempt.headers().firstValue("X-Request-Deadline"));
    assertEquals(Duration.ofSeconds(2), attempt.timeout().get(), "the attempt is still bounded");
    HttpRequest own = partnerOff.forAttempt(HttpRequest.newBuilder(URI.create("https://api.partner.com/x"))
        .header("X-Request-Deadline", "99").build(), Duration.ofSeconds(2).toNanos(), 42);
    assertEquals(java.util.List.of("99"), own.headers().allValues("X-Request-Deadline"));
    HttpRequest internal = partnerOff.forAttempt(HttpRequest.newBuilder(URI.create("https://billing.internal/x")).build(),
        Duration.ofSeconds(2).toNanos(), 42);
    assertEquals("42", internal.headers().firstValue("X-Request-Deadline").get(), "other hosts get it");
  }
}
