package dev.levee.instrumentation.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

/**
 * The answer's {@code HttpEntity}, read within the call's deadline: a {@link java.lang.reflect.Proxy} of
 * HttpClient's interface (4.x or 5.x; Levee cannot link against it) over the entity HttpClient made, whose content
 * stream fails with {@code SocketTimeoutException} once {@link TimedAttempt}'s timer has ended the
 * exchange. Reading the stream to its end, or closing it, stops the timer. Everything else is the
 * entity's own.
 */
final class BoundedEntity {

  private BoundedEntity() {}

  static Object wrap(Class<?> httpEntity, Object entity, TimedAttempt owner) {
    return LibraryProxies.implement(httpEntity, (proxy, method, args) -> {
      switch (method.getName()) {
        case "getContent": {
          InputStream content = (InputStream) LibraryProxies.delegate(entity, method, args);
          return content == null ? null : new BoundedStream(content, owner);
        }
        case "writeTo":
          writeTo(entity, owner, (OutputStream) args[0]);
          return null;
        case "close":
          owner.disarm();
          return LibraryProxies.delegate(entity, method, args);
        default:
          return LibraryProxies.delegate(entity, method, args);
      }
    });
  }

  private static void writeTo(Object entity, TimedAttempt owner, OutputStream out) throws Throwable {
    try (InputStream in = new BoundedStream((InputStream) LibraryMethods.invoke(entity, "getContent"), owner)) {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    }
  }

  /** The content stream: HttpClient's own, failing with a timeout once Levee ended the exchange. */
  static final class BoundedStream extends FilterInputStream {
    private final TimedAttempt owner;

    BoundedStream(InputStream in, TimedAttempt owner) {
      super(in);
      this.owner = owner;
    }

    @Override
    public int read() throws IOException {
      check();
      try {
        return ended(super.read());
      } catch (IOException e) {
        throw translated(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      try {
        return ended(super.read(b, off, len));
      } catch (IOException e) {
        throw translated(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      check();
      try {
        return super.skip(n);
      } catch (IOException e) {
        throw translated(e);
      }
    }

    @Override
    public void close() throws IOException {
      owner.disarm();
      super.close();
    }

    private int ended(int read) {
      if (read < 0) {
        owner.disarm();
      }
      return read;
    }

    private void check() throws IOException {
      Exception timedOut = owner.expired();
      if (timedOut != null) {
        IOException e = timedOut instanceof IOException ? (IOException) timedOut : new SocketTimeoutException(timedOut.getMessage());
        throw e;
      }
    }

    private IOException translated(IOException e) {
      Throwable t = owner.failure(e);
      return t instanceof IOException ? (IOException) t : e;
    }
  }
}
