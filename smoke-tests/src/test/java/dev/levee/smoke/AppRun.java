package dev.levee.smoke;

import static org.junit.jupiter.api.Assertions.fail;

import dev.levee.testkit.ForkedJvm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a smoke app did: the forked JVM's result, with its call lines parsed. */
final class AppRun {

  private final ForkedJvm.Result result;
  private final List<AppCall> calls = new ArrayList<>();
  private AppCall warmup;

  AppRun(ForkedJvm.Result result) {
    this.result = result;
    for (String line : result.stdoutLines()) {
      AppCall c = AppCall.parse(line);
      if (c == null) {
        continue;
      }
      if (c.index < 0) {
        warmup = c;
      } else {
        calls.add(c);
      }
    }
    calls.sort(Comparator.comparingInt(c -> c.index));
  }

  int exitCode() {
    return result.exitCode();
  }

  String stderr() {
    return result.stderr();
  }

  List<String> stderrLines() {
    return result.stderrLines();
  }

  String stdout() {
    return result.stdout();
  }

  /** The call lines, by index. */
  List<AppCall> calls() {
    return calls;
  }

  /** Call {@code index}; fails (showing the whole run) when the app printed no such line. */
  AppCall call(int index) {
    for (AppCall c : calls) {
      if (c.index == index) {
        return c;
      }
    }
    return fail("the app printed no line for CALL " + index + "\n" + describe());
  }

  AppCall warmup() {
    return warmup != null ? warmup : fail("the app printed no WARMUP line\n" + describe());
  }

  /** {@code key=value} lines of stdout (the library-versions app's output). */
  Map<String, String> keyValues() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : result.stdoutLines()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }

  String describe() {
    return result.describe();
  }
}
