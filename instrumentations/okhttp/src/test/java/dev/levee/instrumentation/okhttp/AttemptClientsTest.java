package dev.levee.instrumentation.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class AttemptClientsTest {

  @Test
  void attemptsRunOnACopyThatSharesEverythingButOkHttpsOwnRetries() throws Exception {
    Interceptor appInterceptor = chain -> chain.proceed(chain.request());
    OkHttpClient app = new OkHttpClient.Builder().addInterceptor(appInterceptor).readTimeout(3, TimeUnit.SECONDS).build();
    assertTrue(app.retryOnConnectionFailure(), "OkHttp's default");

    OkHttpClient attempts = (OkHttpClient) AttemptClients.forAttempts(app, 5000);

    assertNotSame(app, attempts);
    assertFalse(attempts.retryOnConnectionFailure());
    assertSame(app.connectionPool(), attempts.connectionPool(), "one pool: connections are reused across both");
    assertSame(app.dispatcher(), attempts.dispatcher(), "async attempts run on the app's dispatcher");
    assertEquals(app.interceptors(), attempts.interceptors());
    assertEquals(3000, attempts.readTimeoutMillis(), "OkHttp's own timeouts stay");
    assertSame(attempts, AttemptClients.forAttempts(app, 5000), "derived once per client");
  }

  @Test
  void theStricterConnectTimeoutWins() throws Exception {
    OkHttpClient okHttpDefault = new OkHttpClient(); // 10 s
    assertEquals(5000, ((OkHttpClient) AttemptClients.forAttempts(okHttpDefault, 5000)).connectTimeoutMillis());
    OkHttpClient strict = new OkHttpClient.Builder().connectTimeout(1, TimeUnit.SECONDS).build();
    assertEquals(1000, ((OkHttpClient) AttemptClients.forAttempts(strict, 5000)).connectTimeoutMillis());
    OkHttpClient none = new OkHttpClient.Builder().connectTimeout(0, TimeUnit.SECONDS).build();
    assertEquals(5000, ((OkHttpClient) AttemptClients.forAttempts(none, 5000)).connectTimeoutMillis());
  }

  @Test
  void aDerivedClientDoesNotKeepTheAppsClientAlive() throws Exception {
    OkHttpClient app = new OkHttpClient.Builder().build();
    AttemptClients.forAttempts(app, 5000);
    WeakReference<OkHttpClient> ref = new WeakReference<>(app);
    app = null;
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(ref.get(), "the app's client was collected");
  }
}
