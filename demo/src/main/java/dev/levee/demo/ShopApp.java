package dev.levee.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's "legacy app": an unmodified shop backend that, for each page it renders, asks an inventory
 * service for stock and prices and a recommendations service for suggestions. Like many legacy apps it
 * sets no timeouts and does no retries. It knows nothing of Levee.
 *
 * <p>Prints one summary line per endpoint: {@code SUMMARY name calls ok errors p50 p95 max errorKinds}, and the wall time.
 */
public final class ShopApp {

  public static void main(String[] args) throws Exception {
    String inventory = args[0];
    String recommendations = args[1];
    int pages = Integer.parseInt(args[2]);
    HttpClient client = HttpClient.newHttpClient();
    Map<String, List<Long>> latencies = new LinkedHashMap<>();
    Map<String, Integer> errors = new LinkedHashMap<>();
    Map<String, String> firstError = new LinkedHashMap<>();
    long start = System.nanoTime();
    for (int page = 0; page < pages; page++) {
      call(client, "stock", inventory + "/stock?item=" + page, latencies, errors, firstError);
      call(client, "prices", inventory + "/prices?item=" + page, latencies, errors, firstError);
      call(client, "recommendations", recommendations + "/recommendations?item=" + page, latencies, errors, firstError);
    }
    long wallMillis = (System.nanoTime() - start) / 1_000_000L;
    for (Map.Entry<String, List<Long>> e : latencies.entrySet()) {
      List<Long> ms = e.getValue();
      Collections.sort(ms);
      int failed = errors.getOrDefault(e.getKey(), 0);
      System.out.println("SUMMARY " + e.getKey() + " " + ms.size() + " " + (ms.size() - failed) + " " + failed
          + " " + percentile(ms, 50) + " " + percentile(ms, 95) + " " + ms.get(ms.size() - 1)
          + " " + firstError.getOrDefault(e.getKey(), "-"));
    }
    System.out.println("WALL " + wallMillis);
  }

  private static void call(HttpClient client, String name, String url, Map<String, List<Long>> latencies,
      Map<String, Integer> errors, Map<String, String> firstError) {
    long begin = System.nanoTime();
    String error = null;
    try {
      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 500) {
        error = "HTTP_" + response.statusCode();
      }
    } catch (Exception e) {
      error = e.getClass().getSimpleName();
    }
    latencies.computeIfAbsent(name, k -> new ArrayList<>()).add((System.nanoTime() - begin) / 1_000_000L);
    if (error != null) {
      errors.merge(name, 1, Integer::sum);
      String seen = firstError.get(name);
      if (seen == null) {
        firstError.put(name, error);
      } else if (!("," + seen + ",").contains("," + error + ",")) {
        firstError.put(name, seen + "," + error);
      }
    }
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private ShopApp() {}
}
