package dev.levee.instrumentation.httpurlconnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The {@code javax.net.ssl.HttpsURLConnection} an app gets for an {@code https} URL under Levee: as
 * {@link ProtectedHttpURLConnection} (the same methods, handing over to the same {@link UrlConnectionCall}; Java
 * has no way to share them between the two JDK classes it must extend), plus the TLS settings the app set
 * ({@code setSSLSocketFactory}, {@code setHostnameVerifier}), which every attempt's JDK connection gets, and
 * the session's certificates and cipher suite, read from the final one.
 */
final class ProtectedHttpsURLConnection extends HttpsURLConnection implements UrlConnectionCall.AppConnection {

  private final UrlConnectionCall call;
  private Map<String, List<String>> headers;
  private Authenticator authenticator;

  ProtectedHttpsURLConnection(URL url, Proxy proxy, HttpUrlConnectionHooks hooks) {
    super(url);
    this.call = new UrlConnectionCall(this, url, proxy, hooks);
  }

  // ---- AppConnection ----

  @Override
  public HttpURLConnection settings() {
    return this;
  }

  @Override
  public synchronized Map<String, List<String>> requestHeaders() {
    return headers != null ? headers : super.getRequestProperties();
  }

  @Override
  public boolean streaming() {
    return chunkLength != -1 || fixedContentLength != -1 || fixedContentLengthLong != -1;
  }

  @Override
  public void copyExtrasTo(HttpURLConnection real) {
    UrlConnectionCall.copyStreamingAndAuthenticator(this, real, chunkLength, fixedContentLength, fixedContentLengthLong,
        authenticator);
    if (real instanceof HttpsURLConnection) {
      HttpsURLConnection tls = (HttpsURLConnection) real;
      tls.setSSLSocketFactory(getSSLSocketFactory());
      tls.setHostnameVerifier(getHostnameVerifier());
    }
  }

  private synchronized UrlConnectionCall connected() {
    if (!connected) {
      headers = Collections.unmodifiableMap(super.getRequestProperties());
      connected = true;
    }
    return call;
  }

  /** The final connection's TLS session; as the JDK's, none before the call has run. */
  private HttpsURLConnection session() {
    HttpURLConnection a = call.answerIfSent();
    if (!(a instanceof HttpsURLConnection)) {
      throw new IllegalStateException("connection not yet open");
    }
    return (HttpsURLConnection) a;
  }

  // ---- TLS ----

  @Override
  public String getCipherSuite() {
    return session().getCipherSuite();
  }

  @Override
  public Certificate[] getLocalCertificates() {
    return session().getLocalCertificates();
  }

  @Override
  public Certificate[] getServerCertificates() throws SSLPeerUnverifiedException {
    return session().getServerCertificates();
  }

  /**
   * JDK 12+'s {@code getSSLSession()} (not in the Java 11 API this is compiled against, so no
   * {@code @Override}): the final connection's, called reflectively.
   */
  @SuppressWarnings("unchecked")
  public java.util.Optional<javax.net.ssl.SSLSession> getSSLSession() {
    HttpsURLConnection s = session();
    try {
      return (java.util.Optional<javax.net.ssl.SSLSession>)
          HttpsURLConnection.class.getMethod("getSSLSession").invoke(s);
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
    } catch (ReflectiveOperationException e) {
      return java.util.Optional.empty();
    }
  }

  // ---- the app's API, as ProtectedHttpURLConnection's ----

  @Override
  public void connect() {
    connected();
  }

  @Override
  public void disconnect() {
    call.disconnect();
  }

  @Override
  public boolean usingProxy() {
    return UrlConnectionCall.usingProxy(call);
  }

  @Override
  public void setAuthenticator(Authenticator auth) {
    super.setAuthenticator(auth);
    authenticator = auth;
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    if (doOutput && "GET".equals(method)) {
      method = "POST"; // as the JDK does, for backward compatibility, before anything is sent
    }
    return connected().outputStream();
  }

  @Override
  public InputStream getInputStream() throws IOException {
    return connected().inputStream();
  }

  @Override
  public InputStream getErrorStream() {
    return call.errorStream();
  }

  @Override
  public int getResponseCode() throws IOException {
    return connected().answer().getResponseCode();
  }

  @Override
  public String getResponseMessage() throws IOException {
    return connected().answer().getResponseMessage();
  }

  @Override
  public String getHeaderField(String name) {
    HttpURLConnection a = connected().answerIfAny();
    return a == null ? null : a.getHeaderField(name);
  }

  @Override
  public String getHeaderField(int n) {
    HttpURLConnection a = connected().answerIfAny();
    return a == null ? null : a.getHeaderField(n);
  }

  @Override
  public String getHeaderFieldKey(int n) {
    HttpURLConnection a = connected().answerIfAny();
    return a == null ? null : a.getHeaderFieldKey(n);
  }

  @Override
  public Map<String, List<String>> getHeaderFields() {
    HttpURLConnection a = connected().answerIfAny();
    return a == null ? Collections.emptyMap() : a.getHeaderFields();
  }

  @Override
  public Object getContent() throws IOException {
    return connected().answer().getContent();
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Object getContent(Class[] classes) throws IOException {
    return connected().answer().getContent(classes);
  }

  /** After redirects the JDK's connection names where it ended; before the call, the app's URL. */
  @Override
  public URL getURL() {
    HttpURLConnection a = call.answerIfSent();
    return a == null ? super.getURL() : a.getURL();
  }

  @Override
  public String getRequestProperty(String key) {
    return connected ? UrlConnectionCall.firstValue(requestHeaders(), key) : super.getRequestProperty(key);
  }
}
