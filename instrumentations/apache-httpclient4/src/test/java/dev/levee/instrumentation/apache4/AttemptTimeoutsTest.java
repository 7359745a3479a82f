package dev.levee.instrumentation.apache4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.config.SocketConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.DefaultHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.params.CoreConnectionPNames;
import org.apache.http.params.HttpParams;
import org.junit.jupiter.api.Test;

/** Each timeout is tightened to the attempt's budget and never loosened, wherever the app set it. */
class AttemptTimeoutsTest {

  static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void unsetTimeoutsGetTheBudgetAndTheConnectTimeoutLevees() throws Throwable {
    CloseableHttpClient client = HttpClients.createDefault();
    HttpClient4Classes hc = HttpClient4Classes.beside(client);
    AttemptTimeouts t = AttemptTimeouts.ofApp(hc, client, null, new HttpGet("http://h/"), null);
    RequestConfig c = (RequestConfig) t.forAttempt(hc, 2 * SECOND, SECOND);
    assertEquals(1000, c.getConnectTimeout());
    assertEquals(2000, c.getSocketTimeout());
    assertEquals(2000, c.getConnectionRequestTimeout());
  }

  @Test
  void theAppsStricterValuesWinFromTheRequestTheContextTheClientAndThePool() throws Throwable {
    CloseableHttpClient client = HttpClients.custom()
        .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(300).build())
        .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(400).build())
        .build();
    HttpClient4Classes hc = HttpClient4Classes.beside(client);
    RequestConfig fromPool = (RequestConfig) AttemptTimeouts.ofApp(hc, client, null, new HttpGet("http://h/"), null)
        .forAttempt(hc, 2 * SECOND, SECOND);
    assertEquals(300, fromPool.getConnectionRequestTimeout(), "the client's default config");
    assertEquals(400, fromPool.getSocketTimeout(), "the pool's SocketConfig, where the RequestConfig leaves it unset");

    HttpGet own = new HttpGet("http://h/");
    own.setConfig(RequestConfig.custom().setSocketTimeout(150).setConnectTimeout(50).build());
    RequestConfig fromRequest = (RequestConfig) AttemptTimeouts.ofApp(hc, client, null, own, null).forAttempt(hc, 2 * SECOND, SECOND);
    assertEquals(150, fromRequest.getSocketTimeout());
    assertEquals(50, fromRequest.getConnectTimeout());

    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(RequestConfig.custom().setSocketTimeout(250).build());
    RequestConfig fromContext = (RequestConfig) AttemptTimeouts.ofApp(hc, client, null, new HttpGet("http://h/"), context)
        .forAttempt(hc, 2 * SECOND, SECOND);
    assertEquals(250, fromContext.getSocketTimeout());
  }

  @Test
  @SuppressWarnings("deprecation")
  void theDeprecatedClientsParamsAreReadAndTightenedOnTheCopyOnly() throws Throwable {
    DefaultHttpClient client = new DefaultHttpClient();
    client.getParams().setIntParameter(CoreConnectionPNames.SO_TIMEOUT, 700);
    HttpGet request = new HttpGet("http://h/");
    request.getParams().setIntParameter(CoreConnectionPNames.CONNECTION_TIMEOUT, 90);
    HttpClient4Classes hc = HttpClient4Classes.beside(client);
    AttemptTimeouts t = AttemptTimeouts.ofApp(hc, client, null, request, null);
    HttpGet copy = new HttpGet("http://h/");
    t.applyParams(hc, request, copy, 2000, SECOND);
    HttpParams p = copy.getParams();
    assertEquals(700, p.getIntParameter(CoreConnectionPNames.SO_TIMEOUT, -1));
    assertEquals(90, p.getIntParameter(CoreConnectionPNames.CONNECTION_TIMEOUT, -1));
    assertEquals(90L, p.getLongParameter("http.conn-manager.timeout", -1), "unset, the pool wait is the connect timeout's");
    assertEquals(-1, request.getParams().getIntParameter(CoreConnectionPNames.SO_TIMEOUT, -1), "the app's params are as they were");
  }
}
