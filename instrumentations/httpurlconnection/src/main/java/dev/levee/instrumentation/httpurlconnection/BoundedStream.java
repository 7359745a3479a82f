package dev.levee.instrumentation.httpurlconnection;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The answer's body stream (from {@code getInputStream} or {@code getErrorStream}), read within the call's
 * deadline: the JDK's own stream, failing with the {@code SocketTimeoutException} of Levee's timer once it has
 * ended the exchange. Reading to the end, or closing, stops the timer.
 */
final class BoundedStream extends FilterInputStream {

  private final UrlConnectionCall.Expiry limit;

  BoundedStream(InputStream in, UrlConnectionCall.Expiry limit) {
    super(in);
    this.limit = limit;
  }

  InputStream raw() {
    return in;
  }

  @Override
  public int read() throws IOException {
    check();
    try {
      return ended(super.read());
    } catch (IOException e) {
      throw limit.failure(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    check();
    try {
      return ended(super.read(b, off, len));
    } catch (IOException e) {
      throw limit.failure(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    check();
    try {
      return super.skip(n);
    } catch (IOException e) {
      throw limit.failure(e);
    }
  }

  @Override
  public void close() throws IOException {
    limit.disarm();
    super.close();
  }

  private int ended(int read) {
    if (read < 0) {
      limit.disarm();
    }
    return read;
  }

  private void check() throws IOException {
    IOException expired = limit.expired();
    if (expired != null) {
      throw expired;
    }
  }
}
