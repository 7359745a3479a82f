package dev.levee.instrumentation.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body the app reads within a limit of Levee's (the call's deadline): the client's own stream,
 * failing with the limit's exception (the client's own timeout type) once Levee's timer has ended the
 * exchange. Reading to the end, or closing, stops the timer. Shared by the clients whose body is a plain
 * {@code InputStream} the app reads after the call returns (Apache HttpClient's classic entity,
 * {@code HttpURLConnection}'s input and error streams).
 */
public final class BoundedStream extends FilterInputStream {

  /** The timer of one exchange, as the stream sees it. */
  public interface Limit {
    /** What the exchange ended with when Levee's timer ended it; null while it has not. */
    IOException expired();

    /** What the reader gets for an exception a read threw: the timer's if it ended the exchange, else the read's. */
    IOException failure(IOException thrown);

    /** The body was read to its end or closed: the timer is not needed any more. */
    void disarm();
  }

  private final Limit limit;

  /**
   * What the reader of an exchange gets for {@code thrown}: {@code expired}, the exception of Levee's timer when
   * it ended the exchange (with {@code thrown} as its cause, the first time), else {@code thrown} itself. For
   * {@link Limit#failure} and its like.
   */
  public static <T extends Throwable> T expiredOr(T expired, T thrown) {
    if (expired == null || expired == thrown) {
      return thrown;
    }
    if (expired.getCause() == null) {
      try {
        expired.initCause(thrown);
      } catch (IllegalStateException alreadySet) {
        // told before
      }
    }
    return expired;
  }

  public BoundedStream(InputStream in, Limit limit) {
    super(in);
    this.limit = limit;
  }

  /** The client's own stream. */
  public InputStream raw() {
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
