package dev.levee.instrumentation.apache5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

class AttemptTimeoutsTest {

  static final long SECOND = 1_000_000_000L;

  @Test
  void theRequestsConfigWinsThenTheContextsThenTheClients() throws Throwable {
    RequestConfig onClient = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(7)).build();
    RequestConfig inContext = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(6)).build();
    RequestConfig onRequest = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(5)).build();
    try (CloseableHttpClient client = HttpClients.custom().setDefaultRequestConfig(onClient).build()) {
      HttpClient5Classes hc = HttpClient5Classes.beside(client);
      HttpGet get = new HttpGet("http://h/");
      HttpClientContext context = HttpClientContext.create();
      assertSame(onClient, AttemptTimeouts.effectiveConfig(hc, client, get, null));
      context.setRequestConfig(inContext);
      assertSame(inContext, AttemptTimeouts.effectiveConfig(hc, client, get, context));
      get.setConfig(onRequest);
      assertSame(onRequest, AttemptTimeouts.effectiveConfig(hc, client, get, context));
    }
  }

  @Test
  void eachTimeoutIsTightenedToTheAttemptsBudgetNeverLoosened() throws Throwable {
    try (CloseableHttpClient client = HttpClients.createDefault()) {
      HttpClient5Classes hc = HttpClient5Classes.beside(client);
      HttpGet get = new HttpGet("http://h/");
      get.setConfig(RequestConfig.custom()
          .setResponseTimeout(Timeout.ofMilliseconds(500))
          .setConnectionRequestTimeout(Timeout.ofSeconds(30))
          .build());
      AttemptTimeouts app = AttemptTimeouts.ofApp(hc, client, null, get, null);
      RequestConfig attempt = (RequestConfig) app.forAttempt(hc, 2 * SECOND, 5 * SECOND, true);
      assertEquals(500, attempt.getResponseTimeout().toMilliseconds(), "the app's stricter response timeout stays");
      assertEquals(2000, attempt.getConnectionRequestTimeout().toMilliseconds(), "the pool wait is bounded by the budget");
      assertEquals(2000, connectMillis(attempt), "connect: min(Levee's 5s, budget 2s)");
      RequestConfig later = (RequestConfig) app.forAttempt(hc, 300_000_000L, SECOND, true);
      assertEquals(300, later.getResponseTimeout().toMilliseconds());
      assertEquals(300, connectMillis(later));
    }
  }

  @Test
  void theConnectionManagersConnectionConfigCountsWhenStricter() throws Throwable {
    PoolingHttpClientConnectionManager manager = new PoolingHttpClientConnectionManager();
    manager.setDefaultConnectionConfig(ConnectionConfig.custom()
        .setConnectTimeout(300, TimeUnit.MILLISECONDS)
        .setSocketTimeout(700, TimeUnit.MILLISECONDS)
        .build());
    try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(manager).build()) {
      HttpClient5Classes hc = HttpClient5Classes.beside(client);
      AttemptTimeouts app = AttemptTimeouts.ofApp(hc, client, null, new HttpGet("http://h/"), null);
      RequestConfig attempt = (RequestConfig) app.forAttempt(hc, 2 * SECOND, 5 * SECOND, true);
      assertEquals(700, attempt.getResponseTimeout().toMilliseconds());
      assertEquals(300, connectMillis(attempt));
    }
  }

  @SuppressWarnings("deprecation")
  private static long connectMillis(RequestConfig config) {
    return config.getConnectTimeout().toMilliseconds();
  }
}
