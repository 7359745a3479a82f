package dev.levee.instrumentation.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The app's request objects whose calls are in flight, by identity (an app's request class may define
 * {@code equals}), each with what Levee keeps for its call: how a hook on the request's own {@code abort()} or
 * {@code cancel()} finds the attempt to stop, without handing the request an object of Levee's making. Each
 * entry lives from {@link #register} to {@link #done}, which the call runs in a {@code finally}.
 *
 * @param <T> what is kept for a call
 */
public final class InFlight<T> {

  private final ConcurrentHashMap<Key, T> byRequest = new ConcurrentHashMap<>();

  /** The call of {@code request} starts; the returned key ends it ({@link #done}). */
  public Object register(Object request, T call) {
    Key key = new Key(request);
    byRequest.put(key, call); // one call at a time per request object, as the libraries allow
    return key;
  }

  /** The call has ended: its request is no longer looked for. */
  public void done(Object key, T call) {
    byRequest.remove((Key) key, call);
  }

  /** What is kept for the call {@code request} is in, or null. */
  public T get(Object request) {
    return byRequest.isEmpty() ? null : byRequest.get(new Key(request));
  }

  private static final class Key {
    private final Object request;

    Key(Object request) {
      this.request = request;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key && ((Key) other).request == request;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(request);
    }
  }
}
