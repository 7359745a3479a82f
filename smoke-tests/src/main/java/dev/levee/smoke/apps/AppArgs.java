package dev.levee.smoke.apps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line every HTTP smoke app accepts (one contract, so one scenario list drives every
 * client library). Call indices count from 0.
 *
 * <pre>
 *   --url URL               repeatable; call i uses the (i mod n)-th URL; "{i}" in a URL becomes i
 *   --method M              GET (default), POST, PUT, DELETE, HEAD, ...; repeatable: call i uses the (i mod n)-th
 *   --body TEXT             request body (text/plain)
 *   --header K:V            repeatable
 *   --mode sync|async       default sync
 *   --calls N               default 1
 *   --concurrency C         calls in flight at once; default 1 (sequential)
 *   --timeout-ms T          the app's own per-request timeout, set through the client's API
 *   --cancel-after-ms M     async: the app cancels a call's future after M ms
 *   --pause-before-call I:M repeatable; sleep M ms before starting call I
 *   --interrupt-after-ms M  blocking calls: the app interrupts the thread making a call M ms after it
 *                           began; after the call it prints interrupted-flag-I=true|false (the thread's
 *                           interrupt flag as the call left it, then cleared)
 *   --fault-before-call I:F repeatable; before call I, set the system property levee.test.fault to F (a
 *                           test switch: an agent started with that property reads it at each step)
 *   --warmup-url URL        one GET before the measured calls, printed as a WARMUP line
 *   --version V             client protocol version, where the client has one (JDK: HTTP_1_1|HTTP_2)
 *   --body-handling H       how the app reads response bodies (the names are each app's own), or
 *                           cycle: call i uses the (i mod n)-th of the app's
 *   --body-dir DIR          where a body handling that writes files puts them (call-I.body)
 *   --shared-request        every call sends one request object the app built once (clients whose
 *                           requests are mutable); after the calls the app prints its headers
 * </pre>
 */
final class AppArgs {

  final List<String> urls = new ArrayList<>();
  final List<String> methods = new ArrayList<>();
  String body;
  final List<String[]> headers = new ArrayList<>();
  String mode = "sync";
  int calls = 1;
  int concurrency = 1;
  long timeoutMs = -1;
  long cancelAfterMs = -1;
  long interruptAfterMs = -1;
  final Map<Integer, Long> pauseBeforeCall = new LinkedHashMap<>();
  final Map<Integer, String> faultBeforeCall = new LinkedHashMap<>();
  String warmupUrl;
  String version;
  String bodyHandling;
  String bodyDir;
  boolean sharedRequest;

  /** The arguments, or exit code 2 with the usage error on stderr. */
  static AppArgs parseOrExit(String[] argv) {
    return parseSyncOrExit(argv, null);
  }

  /**
   * As {@link #parseOrExit}, for an app whose client has no async API: {@code --mode} other than sync is a
   * usage error saying {@code noAsync}.
   */
  static AppArgs parseSyncOrExit(String[] argv, String noAsync) {
    try {
      AppArgs args = parse(argv);
      if (noAsync != null && !args.mode.equals("sync")) {
        throw new IllegalArgumentException(noAsync);
      }
      return args;
    } catch (IllegalArgumentException e) {
      System.err.println("usage error: " + e.getMessage());
      System.exit(2);
      throw e; // not reached
    }
  }

  static AppArgs parse(String[] args) {
    AppArgs a = new AppArgs();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--shared-request")) {
        a.sharedRequest = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + name);
      }
      String value = args[++i];
      switch (name) {
        case "--url":
          a.urls.add(value);
          break;
        case "--method":
          a.methods.add(value);
          break;
        case "--body":
          a.body = value;
          break;
        case "--header":
          int colon = value.indexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException("--header wants K:V, got " + value);
          }
          a.headers.add(new String[] {value.substring(0, colon).trim(), value.substring(colon + 1).trim()});
          break;
        case "--mode":
          if (!value.equals("sync") && !value.equals("async")) {
            throw new IllegalArgumentException("--mode is sync or async, got " + value);
          }
          a.mode = value;
          break;
        case "--calls":
          a.calls = Integer.parseInt(value);
          break;
        case "--concurrency":
          a.concurrency = Math.max(1, Integer.parseInt(value));
          break;
        case "--timeout-ms":
          a.timeoutMs = Long.parseLong(value);
          break;
        case "--cancel-after-ms":
          a.cancelAfterMs = Long.parseLong(value);
          break;
        case "--interrupt-after-ms":
          a.interruptAfterMs = Long.parseLong(value);
          break;
        case "--pause-before-call":
          String[] im = value.split(":");
          a.pauseBeforeCall.put(Integer.parseInt(im[0]), Long.parseLong(im[1]));
          break;
        case "--fault-before-call":
          int at = value.indexOf(':');
          a.faultBeforeCall.put(Integer.parseInt(value.substring(0, at)), value.substring(at + 1));
          break;
        case "--warmup-url":
          a.warmupUrl = value;
          break;
        case "--version":
          a.version = value;
          break;
        case "--body-handling":
          a.bodyHandling = value;
          break;
        case "--body-dir":
          a.bodyDir = value;
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + name);
      }
    }
    if (a.urls.isEmpty()) {
      throw new IllegalArgumentException("--url is required");
    }
    return a;
  }

  String method(int call) {
    return methods.isEmpty() ? "GET" : methods.get(call % methods.size());
  }

  String url(int call) {
    return urls.get(call % urls.size()).replace("{i}", Integer.toString(call));
  }

  /**
   * How call {@code call} reads its body: the handling asked for, {@code known[0]} (the app's default) when
   * none was, or with {@code cycle} the (call mod n)-th of {@code known}; one the app does not know is a
   * usage error.
   */
  String bodyHandling(int call, String... known) {
    String h = bodyHandling == null ? known[0] : bodyHandling.equals("cycle") ? known[call % known.length] : bodyHandling;
    if (!java.util.Arrays.asList(known).contains(h)) {
      throw new IllegalArgumentException("--body-handling is one of " + java.util.Arrays.toString(known) + ", got " + h);
    }
    return h;
  }

  /** The file a body handling that writes files uses for call {@code call}. */
  java.nio.file.Path bodyFile(int call) {
    if (bodyDir == null) {
      throw new IllegalArgumentException("--body-dir is required for this body handling");
    }
    return java.nio.file.Paths.get(bodyDir, "call-" + call + ".body");
  }

  void pauseBefore(int call) throws InterruptedException {
    String fault = faultBeforeCall.get(call);
    if (fault != null) {
      System.setProperty("levee.test.fault", fault);
    }
    Long ms = pauseBeforeCall.get(call);
    if (ms != null && ms > 0) {
      Thread.sleep(ms);
    }
  }
}
