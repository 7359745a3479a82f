package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.levee.smoke.apps.JettyEe10ServletApp;
import dev.levee.smoke.apps.JettyEe8ServletApp;
import dev.levee.smoke.apps.TomcatServletApp;
import dev.levee.smoke.apps.UndertowServletApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import dev.levee.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unmodified web apps on four Servlet containers, with the agent: a filter in front of a servlet that
 * makes one outgoing JDK HttpClient call per request. The deadline each request arrives with, less the
 * configured reply margin, is the one its outgoing call carries; a request without one gets Levee's own
 * ({@code timeout.total} from the call's start), also on a container thread that served a deadline before.
 * One JVM per container and JDK; the container threads are few, so they serve request after request.
 */
class ServletDeadlineSmokeTest {

  static final long MARGIN = 150;
  static final long TOTAL = 20_000;
  /** The outgoing call carried no deadline header. */
  static final long NO_HEADER = -1;

  /** Each container app and the folder (under target/servlet-containers/) of the jars it runs on. */
  enum Container {
    TOMCAT_10_1(TomcatServletApp.class, "tomcat"),
    JETTY_12_EE10(JettyEe10ServletApp.class, "jetty-ee10"),
    JETTY_12_EE8(JettyEe8ServletApp.class, "jetty-ee8"),
    UNDERTOW_2_3(UndertowServletApp.class, "undertow");

    final Class<?> app;
    final String jars;

    Container(Class<?> app, String jars) {
      this.app = app;
      this.jars = jars;
    }

    Path[] libraries() {
      return SmokeApp.jarsIn(SmokeApp.copiedLibraries("levee.servlet.jars", "servlet-containers").resolve(jars))
          .toArray(new Path[0]);
    }
  }

  static Stream<Arguments> containersOnBothJdks() {
    return SmokeJdks.both().flatMap(jdk -> Stream.of(Container.values()).map(c -> Arguments.of(jdk, c)));
  }

  /** One request to the app and what its outgoing call carried. */
  static final class Served {
    final String id;
    final String inboundHeader;
    final long sentAt;
    final long answeredAt;
    final String thread;
    final long outboundDeadline;

    Served(String id, String inboundHeader, long sentAt, long answeredAt, String thread, long outboundDeadline) {
      this.id = id;
      this.inboundHeader = inboundHeader;
      this.sentAt = sentAt;
      this.answeredAt = answeredAt;
      this.thread = thread;
      this.outboundDeadline = outboundDeadline;
    }

    @Override
    public String toString() {
      return id + " [" + inboundHeader + "] on " + thread + " sent " + sentAt + " -> backend saw " + outboundDeadline;
    }
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("containersOnBothJdks")
  void eachRequestsDeadlineReachesItsOutgoingCallAndNoneOutlivesItsRequest(
      Jdk jdk, Container container, @TempDir Path dir) throws Exception {
    Path config = writeConfig(dir);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Served> served = new ArrayList<>();
    try (FaultServer backend = FaultServer.start();
        ForkedJvm.Background app = SmokeApp.launch(jdk, container.app.getName())
            .config(config)
            .workingDirectory(dir)
            .classpath(container.libraries())
            .args("--backend", backend.url("/backend"))
            .start()) {
      String why = "";
      try {
        int port = Integer.parseInt(app.awaitOutput("listening ").split(" ")[1]);
        String[][] inbound = {
            {"X-Request-Deadline", null}, {}, {"grpc-timeout", "8S"}, {}, {"X-Request-Deadline", null}, {}, {}};
        for (int i = 0; i < inbound.length; i++) {
          served.add(serve(client, port, backend, i, inbound[i]));
        }
      } finally {
        ForkedJvm.Result result = app.stop();
        why = "\n" + served.stream().map(Served::toString).collect(Collectors.joining("\n")) + "\n" + result.describe();
        List<String> stderr = result.stderrLines();
        assertTrue(!stderr.isEmpty() && stderr.get(0).startsWith("levee ") && stderr.get(0).contains("servlet"),
            "the startup line names the servlet instrumentation" + why);
        for (String line : stderr.subList(1, stderr.size())) {
          assertFalse(line.toLowerCase().contains("levee"), "nothing else from Levee on stderr: " + line + why);
        }
      }

      Set<String> threadsThatHeldADeadline = new HashSet<>();
      boolean reused = false;
      for (Served s : served) {
        assertTrue(s.outboundDeadline != NO_HEADER, "the outgoing call carries a deadline: " + s + why);
        if (s.inboundHeader.startsWith("X-Request-Deadline: ")) {
          long deadline = Long.parseLong(s.inboundHeader.substring("X-Request-Deadline: ".length()));
          assertEquals(deadline - MARGIN, s.outboundDeadline, "the request's deadline less the margin: " + s + why);
          threadsThatHeldADeadline.add(s.thread);
        } else if (s.inboundHeader.startsWith("grpc-timeout: ")) {
          assertBetween(s.sentAt + 8_000 - MARGIN, s.answeredAt + 8_000 - MARGIN, s, why);
          threadsThatHeldADeadline.add(s.thread);
        } else {
          assertBetween(s.sentAt + TOTAL, s.answeredAt + TOTAL, s, "no deadline inbound: Levee's own total" + why);
          reused |= threadsThatHeldADeadline.contains(s.thread);
        }
      }
      assertTrue(reused, "a request without deadline ran on a container thread that had served one before" + why);
    }
  }

  /**
   * The agent attached to a web app already serving (README, "Attaching the agent to an app"): the filter
   * and servlet classes the container loaded and ran before are rewoven, so the next request's deadline
   * reaches its outgoing call.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void attachedToARunningContainerTheNextRequestsAreCovered(Jdk jdk, @TempDir Path dir) throws Exception {
    SmokeJdks.assumeAvailable(jdk);
    Path config = writeConfig(dir);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Path> classpath = new ArrayList<>(List.of(SmokeApp.appClasses()));
    classpath.addAll(List.of(Container.TOMCAT_10_1.libraries()));
    try (FaultServer backend = FaultServer.start();
        ForkedJvm.Background app = ForkedJvm.builder()
            .jdk(jdk)
            .jvmArg(SmokeApp.LEAN_JVM_FLAGS.toArray(new String[0]))
            .classpath(classpath)
            .env("LEVEE_CONFIG", config.toString())
            .workingDirectory(dir)
            .mainClass(TomcatServletApp.class.getName())
            .args("--backend", backend.url("/backend"))
            .timeout(SmokeApp.DEFAULT_TIMEOUT)
            .start()) {
      String[] listening = app.awaitOutput("listening ").split(" ");
      int port = Integer.parseInt(listening[1]);
      Served before = serve(client, port, backend, 0, new String[] {"X-Request-Deadline", null});
      VirtualMachine vm = VirtualMachine.attach(listening[3]);
      try {
        vm.loadAgent(LeveeAgentJar.require().toString());
      } finally {
        vm.detach();
      }
      Served deadline = serve(client, port, backend, 1, new String[] {"X-Request-Deadline", null});
      Served none = serve(client, port, backend, 2, new String[0]);
      ForkedJvm.Result result = app.stop();
      String why = "\n" + before + "\n" + deadline + "\n" + none + "\n" + result.describe();

      assertEquals(NO_HEADER, before.outboundDeadline, "before the attach the app runs as it is" + why);
      long inbound = Long.parseLong(deadline.inboundHeader.substring("X-Request-Deadline: ".length()));
      assertEquals(inbound - MARGIN, deadline.outboundDeadline, "the request's deadline less the margin" + why);
      assertBetween(none.sentAt + TOTAL, none.answeredAt + TOTAL, none, "no deadline inbound: Levee's own total" + why);
      assertTrue(result.stderr().contains("instrumentations ") && result.stderr().contains("servlet"), why);
    }
  }

  static Path writeConfig(Path dir) {
    return SmokeApp.writeConfig(dir,
        "deadline:",
        "  inbound: { replyMargin: " + MARGIN + "ms }",
        "http:",
        "  defaults:",
        "    timeout: { total: " + TOTAL + "ms }",
        "    retry: { maxAttempts: 1 }");
  }

  /** Sends request {@code i} with the header (name, value; a null value: a deadline 8 s from now) or none. */
  private static Served serve(HttpClient client, int port, FaultServer backend, int i, String[] header)
      throws Exception {
    String id = "r" + i;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/call?id=" + id))
        .timeout(Duration.ofSeconds(15));
    String inbound = "none";
    long sentAt = System.currentTimeMillis();
    if (header.length > 0) {
      String value = header[1] != null ? header[1] : Long.toString(sentAt + 8_000 + i);
      request.header(header[0], value);
      inbound = header[0] + ": " + value;
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    long answeredAt = System.currentTimeMillis();
    assertEquals(200, response.statusCode(), id + ": " + response.body());
    assertEquals("yes", response.headers().firstValue("X-Filtered").orElse(null), "the app's filter ran: " + id);
    String thread = response.body().replaceAll(".*thread=(.*) backend.*", "$1");
    RecordedRequest call = null;
    for (RecordedRequest r : backend.requests("/backend")) {
      if (("id=" + id).equals(r.query())) {
        call = r;
      }
    }
    assertTrue(call != null, id + ": the app's outgoing call reached the backend: " + backend.requests("/backend"));
    String deadline = call.header("X-Request-Deadline");
    return new Served(id, inbound, sentAt, answeredAt, thread, deadline == null ? NO_HEADER : Long.parseLong(deadline));
  }

  private static void assertBetween(long low, long high, Served s, String why) {
    assertTrue(s.outboundDeadline >= low && s.outboundDeadline <= high,
        s.outboundDeadline + " not in [" + low + ", " + high + "]: " + s + why);
  }
}
