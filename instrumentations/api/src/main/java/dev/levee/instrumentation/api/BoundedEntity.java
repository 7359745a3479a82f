package dev.levee.instrumentation.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

/**
 * The answer's {@code HttpEntity}, read within the call's deadline: a {@link java.lang.reflect.Proxy} of
 * HttpClient's interface (4.x or 5.x; Levee cannot link against it) over the entity HttpClient made, whose
 * content stream ({@link BoundedStream}, shared with HttpURLConnection's) fails with {@code SocketTimeoutException}
 * once {@link TimedAttempt}'s timer has ended the exchange. Reading the stream to its end, or closing it, stops
 * the timer. Everything else is the entity's own.
 */
final class BoundedEntity {

  private BoundedEntity() {}

  static Object wrap(Class<?> httpEntity, Object entity, TimedAttempt owner) {
    return LibraryProxies.implement(httpEntity, (proxy, method, args) -> {
      switch (method.getName()) {
        case "getContent": {
          InputStream content = (InputStream) LibraryProxies.delegate(entity, method, args);
          return content == null ? null : stream(content, owner);
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
    try (InputStream in = stream((InputStream) LibraryMethods.invoke(entity, "getContent"), owner)) {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    }
  }

  /** The content stream: HttpClient's own, failing with a timeout once Levee's timer ended the exchange. */
  static BoundedStream stream(InputStream content, TimedAttempt owner) {
    return new BoundedStream(content, new BoundedStream.Limit() {
      @Override
      public IOException expired() {
        Exception timedOut = owner.expired();
        if (timedOut == null || timedOut instanceof IOException) {
          return (IOException) timedOut;
        }
        return new SocketTimeoutException(timedOut.getMessage());
      }

      @Override
      public IOException failure(IOException thrown) {
        Throwable t = owner.failure(thrown);
        return t instanceof IOException ? (IOException) t : thrown;
      }

      @Override
      public void disarm() {
        owner.disarm();
      }
    });
  }
}
