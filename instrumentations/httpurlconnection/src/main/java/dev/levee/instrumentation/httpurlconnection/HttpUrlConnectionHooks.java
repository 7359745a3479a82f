package dev.levee.instrumentation.httpurlconnection;

import dev.levee.core.Faults;
import dev.levee.core.deadline.DeadlineHeaders;
import dev.levee.core.pipeline.CallPipeline;
import dev.levee.core.pipeline.LeveeFault;
import dev.levee.instrumentation.api.LeveeRuntime;
import java.net.Proxy;
import java.net.URL;

/**
 * What the hooked JDK methods hand over to: a new connection of the app's becomes Levee's
 * ({@link ProtectedHttpURLConnection}); inside one of Levee's attempts the JDK's own re-send stands aside.
 */
final class HttpUrlConnectionHooks {

  /** Set while this thread runs one of Levee's attempts: the JDK's connection writes its request on it. */
  private static final ThreadLocal<boolean[]> IN_ATTEMPT = new ThreadLocal<boolean[]>() {
    @Override
    protected boolean[] initialValue() {
      return new boolean[1];
    }
  };

  final CallPipeline pipeline;
  final DeadlineHeaders deadlineHeaders;

  HttpUrlConnectionHooks(LeveeRuntime runtime) {
    this.pipeline = runtime.http();
    this.deadlineHeaders = runtime.deadlineHeaders();
  }

  /**
   * {@code Handler.openConnection(url, proxy)} of the http and the https handler: the app gets Levee's
   * connection object. Levee's own attempts open theirs with the thread marked, and get the JDK's.
   */
  Object openConnection(Object handler, Object[] args) {
    URL url = (URL) args[0];
    Proxy proxy = (Proxy) args[1];
    try {
      Faults.at(Faults.Step.REQUEST);
      if (proxy != null && proxy.type() == Proxy.Type.HTTP && forSocketTunnel()) {
        return null;
      }
      String scheme = url.getProtocol();
      if ("https".equalsIgnoreCase(scheme)) {
        return new ProtectedHttpsURLConnection(url, proxy, this);
      }
      if ("http".equalsIgnoreCase(scheme)) {
        return new ProtectedHttpURLConnection(url, proxy, this);
      }
      return null;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      throw new LeveeFault(t); // the hook seam reports it once, and the JDK's own connection is made
    }
  }

  /**
   * Whether the JDK itself opens this connection to tunnel a plain {@code Socket} through an HTTP proxy
   * ({@code new Socket(Proxy)}): {@code java.net.HttpConnectSocketImpl} then reflects into the JDK's own
   * connection class (its {@code doTunneling} and its {@code http} field), so it must get the JDK's. Asked
   * only for connections through an HTTP proxy, where a look at the few frames above costs nothing that
   * matters.
   */
  private static boolean forSocketTunnel() {
    return StackWalker.getInstance().walk(frames -> frames.limit(16)
        .anyMatch(f -> f.getClassName().equals("java.net.HttpConnectSocketImpl")));
  }

  /**
   * {@code HttpClient.writeRequests(requests, poster, streaming)}, on entry: the JDK re-sends a request once by
   * itself when the connection closes before any response byte (a GET always, a POST unless
   * {@code sun.net.http.retryPost=false}). Inside one of Levee's attempts that would multiply Levee's own, so
   * the connection starts as if it had re-sent once already ({@code failedOnce}), and Levee decides.
   */
  Object alreadyRetried(Object client, Object failedOnce) {
    return IN_ATTEMPT.get()[0] ? Boolean.TRUE : null;
  }

  /** Marks the thread: the JDK connection it drives now is one of Levee's attempts. Cleared by the caller. */
  static boolean[] attempting() {
    boolean[] in = IN_ATTEMPT.get();
    in[0] = true;
    return in;
  }
}
