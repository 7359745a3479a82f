package dev.levee.instrumentation.httpurlconnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The {@code java.net.HttpURLConnection} an app gets for an {@code http} URL under Levee: it keeps what the app
 * sets (in the fields and request properties of {@code HttpURLConnection} itself), and every method that needs
 * the response runs the call ({@link UrlConnectionCall}) and reads its final JDK connection. Connecting is lazy:
 * {@code connect()} only fixes the request's headers, as the JDK's own buffered mode sends nothing before the
 * response is asked for; a connect failure shows at {@code getResponseCode}/{@code getInputStream}.
 */
final class ProtectedHttpURLConnection extends HttpURLConnection implements UrlConnectionCall.AppConnection {

  private final UrlConnectionCall call;
  private Map<String, List<String>> headers;
  private Authenticator authenticator;

  ProtectedHttpURLConnection(URL url, Proxy proxy, HttpUrlConnectionHooks hooks) {
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
  }

  /** From here the request's headers are fixed, as for a JDK connection that has connected. */
  private synchronized UrlConnectionCall connected() {
    if (!connected) {
      headers = Collections.unmodifiableMap(super.getRequestProperties());
      connected = true;
    }
    return call;
  }

  // ---- the app's API ----

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
