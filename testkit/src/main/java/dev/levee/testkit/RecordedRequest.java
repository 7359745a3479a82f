package dev.levee.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One request as it reached {@link FaultServer}: recorded once its head and body have been read. */
public final class RecordedRequest {

  private final long sequence;
  private final long connectionId;
  private final String method;
  private final String path;
  private final String query;
  private final String version;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final long epochMillis;
  private final long nanoTime;

  RecordedRequest(
      long sequence,
      long connectionId,
      String method,
      String path,
      String query,
      String version,
      Map<String, List<String>> headers,
      byte[] body,
      long epochMillis,
      long nanoTime) {
    this.sequence = sequence;
    this.connectionId = connectionId;
    this.method = method;
    this.path = path;
    this.query = query;
    this.version = version;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      copy.put(e.getKey(), Collections.unmodifiableList(new ArrayList<>(e.getValue())));
    }
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body.clone();
    this.epochMillis = epochMillis;
    this.nanoTime = nanoTime;
  }

  /** Arrival order across the whole server, from 0. */
  public long sequence() {
    return sequence;
  }

  /** Which TCP connection carried it (from 0, in accept order): tells reuse from new connections. */
  public long connectionId() {
    return connectionId;
  }

  public String method() {
    return method;
  }

  /** The path without the query. */
  public String path() {
    return path;
  }

  /** The raw query without '?', or null when the target had none. */
  public String query() {
    return query;
  }

  /** e.g. {@code HTTP/1.1}. */
  public String version() {
    return version;
  }

  /** Header names compared case-insensitively. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header (case-insensitive), or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public byte[] bodyBytes() {
    return body.clone();
  }

  /** The body decoded as UTF-8 (chunked bodies de-chunked). */
  public String body() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** When the request line arrived, as {@link System#currentTimeMillis()}. */
  public long epochMillis() {
    return epochMillis;
  }

  /** When the request line arrived, as {@link System#nanoTime()} (for gaps between requests). */
  public long nanoTime() {
    return nanoTime;
  }

  @Override
  public String toString() {
    return "#" + sequence + " " + method + " " + path + (query == null ? "" : "?" + query) + " conn=" + connectionId
        + " at=" + epochMillis + " headers=" + headers + (body.length == 0 ? "" : " body=" + body.length + "B");
  }
}
