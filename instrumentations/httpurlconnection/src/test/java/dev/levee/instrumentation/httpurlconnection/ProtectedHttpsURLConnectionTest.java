package dev.levee.instrumentation.httpurlconnection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.levee.core.Clock;
import dev.levee.core.RandomSource;
import dev.levee.core.config.ConfigLoader;
import dev.levee.core.config.LeveeConfig;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.instrumentation.api.LeveeRuntime;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code https} URL: the app's object is an {@code HttpsURLConnection}, the TLS settings it sets reach every
 * attempt, and the session's details come from the final one. A real TLS server in this JVM (the JDK's own, on
 * a certificate {@code keytool} makes for 127.0.0.1).
 */
class ProtectedHttpsURLConnectionTest {

  @Test
  void aRetriedHttpsGetKeepsTheAppsTlsSettingsAndShowsTheFinalSession(@TempDir Path dir) throws Exception {
    char[] password = "changeit".toCharArray();
    Path keystore = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made a certificate");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
      ks.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    SSLContext clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, tmf.getTrustManagers(), null);

    AtomicInteger requests = new AtomicInteger();
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext("/secure", exchange -> {
      boolean first = requests.incrementAndGet() == 1;
      byte[] body = (first ? "down" : "secure").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(first ? 503 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    try {
      LeveeConfig config = ConfigLoader.parse("http:\n  defaults:\n    retry: {maxAttempts: 3, initialBackoff: 5ms, maxBackoff: 10ms}\n",
          "resilience.yaml");
      HttpUrlConnectionHooks hooks = new HttpUrlConnectionHooks(new LeveeRuntime(config,
          new CallPipeline(config.http(), Clock.SYSTEM, RandomSource.SYSTEM, timer),
          new CallPipeline(config.jdbc(), Clock.SYSTEM, RandomSource.SYSTEM, timer)));
      URL url = new URL("https://127.0.0.1:" + server.getAddress().getPort() + "/secure");

      Object opened = hooks.openConnection(null, new Object[] {url, null});
      assertTrue(opened instanceof HttpsURLConnection, "an app's cast to HttpsURLConnection holds");
      HttpsURLConnection c = (HttpsURLConnection) opened;
      c.setSSLSocketFactory(clientTls.getSocketFactory());
      assertThrows(IllegalStateException.class, c::getCipherSuite, "as the JDK's: no session before the call");

      assertEquals(200, c.getResponseCode());
      // before the body is read: as with the JDK's own, the session goes with the connection to the keep-alive cache
      assertNotNull(c.getCipherSuite());
      assertEquals(1, c.getServerCertificates().length);
      // JDK 12+'s getSSLSession, called as an app on a newer JDK would (this module compiles against Java 11's API)
      Object session = HttpsURLConnection.class.getMethod("getSSLSession").invoke(c);
      assertTrue(((java.util.Optional<?>) session).isPresent(), "the final connection's session");
      try (InputStream in = c.getInputStream()) {
        assertEquals("secure", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      assertEquals(2, requests.get(), "the 503 was retried over TLS with the app's socket factory");
    } finally {
      server.stop(0);
      timer.shutdownNow();
    }
  }
}
