package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.smoke.apps.RedeployApp;
import dev.levee.testkit.FaultServer;
import dev.levee.testkit.ForkedJvm;
import dev.levee.testkit.Jdk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A web app redeployed 50 times on embedded Tomcat, each deploy making outgoing calls through Levee (the
 * JDK HttpClient, and a JDBC connect and statement on embedded H2) from its request thread, is unloaded
 * each time: Levee's threads, the first of which are made on such a thread, keep no web app's class loader
 * (README, "Class loading and threads"). The same app without Levee leaks none either (checked by hand:
 * what the JDK and H2 pin once per JVM, the app warms up before the first deploy).
 *
 * <p>Tomcat's own leak checks run at each undeploy (with the module openings they need): a thread whose
 * context class loader is the web app's, a thread-local holding the web app's objects. None may fire.
 */
class RedeploySmokeTest {

  private static final int ROUNDS = 50;

  /** What Tomcat's leak checks reach into; without them each undeploy prints a warning instead of checking. */
  private static final String[] TOMCAT_LEAK_CHECKS = {
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED"};

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.levee.smoke.SmokeJdks#both")
  void aRedeployedWebAppThatCalledThroughLeveeIsUnloaded(Jdk jdk, @TempDir Path dir) {
    SmokeJdks.assumeAvailable(jdk);
    List<Path> classpath = new ArrayList<>(List.of(SmokeApp.appClasses()));
    classpath.addAll(List.of(ServletDeadlineSmokeTest.Container.TOMCAT_10_1.libraries()));
    classpath.add(SmokeApp.locationOf(org.h2.Driver.class)); // a container's driver, as in its lib/
    try (FaultServer backend = FaultServer.start()) {
      ForkedJvm.Result run = ForkedJvm.builder()
          .jdk(jdk)
          .javaagent(LeveeAgentJar.require())
          .jvmArg(SmokeApp.LEAN_JVM_FLAGS.toArray(new String[0]))
          .jvmArg(TOMCAT_LEAK_CHECKS)
          // the app's own calls to Tomcat (HttpURLConnection) stay the JDK's: Levee's first thread is then made
          // on a web app's request thread
          .systemProperty("levee.config", SmokeApp.writeConfig(dir, "http:", "  defaults:", "    timeout: { total: 20s }",
              "instrumentation:", "  httpurlconnection: false").toString())
          .classpath(classpath)
          .mainClass(RedeployApp.class.getName())
          .args("--backend", backend.url("/backend"), "--rounds", Integer.toString(ROUNDS), "--jdbc", "jdbc:h2:mem:redeploy")
          .timeout(Duration.ofSeconds(120))
          .run();
      String why = "\n" + run.describe();
      assertEquals(0, run.exitCode(), why);
      assertTrue(run.stdout().contains("SERVED " + ROUNDS + " of " + ROUNDS), "every deploy called out through Levee" + why);
      assertEquals(ROUNDS, backend.requests().size(), why);
      assertTrue(run.stdout().contains("LEAKED 0 of " + ROUNDS), "no web app's class loader outlives its undeploy" + why);
      List<String> leakWarnings = run.stderrLines().stream()
          .filter(line -> line.contains("memory leak") || line.contains("levee-"))
          .collect(Collectors.toList());
      assertEquals(List.of(), leakWarnings, "Tomcat's leak checks find nothing (no thread of Levee's, no thread-local)" + why);
    }
  }
}
