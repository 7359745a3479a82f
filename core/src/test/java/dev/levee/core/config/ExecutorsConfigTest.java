package dev.levee.core.config;

import static dev.levee.core.config.ConfigTesting.parse;
import static dev.levee.core.config.ConfigTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExecutorsConfigTest {

  @Test
  void unboundedUnlessAsked() throws Exception {
    assertEquals(ExecutorsConfig.NO_LIMIT, LeveeConfig.defaults().executors().maxQueue());
    assertEquals(ExecutorsConfig.NO_LIMIT, parse("http: {}").executors().maxQueue());
    assertEquals(ExecutorsConfig.NO_LIMIT, parse("executors:", "  maxQueue: none").executors().maxQueue());
  }

  @Test
  void aNumberBoundsTheQueues() throws Exception {
    assertEquals(100, parse("executors:", "  maxQueue: 100").executors().maxQueue());
    assertEquals(0, parse("executors: { maxQueue: 0 }").executors().maxQueue());
  }

  @Test
  void badValuesNameTheKey() {
    assertEquals(Arrays.asList("resilience.yaml:2:13: executors.maxQueue: must be at least 0, was -1"),
        problems("executors:", "  maxQueue: -1"));
    assertEquals(Arrays.asList(
            "resilience.yaml:2:13: executors.maxQueue: expected a whole number of tasks or none, got 'lots'"),
        problems("executors:", "  maxQueue: lots"));
    assertEquals(Arrays.asList("resilience.yaml:2:3: executors.maxQueu: unknown key; did you mean 'maxQueue'?"),
        problems("executors:", "  maxQueu: 10"));
    assertEquals(Arrays.asList("resilience.yaml:1:1: executor: unknown key; did you mean 'executors'?"),
        problems("executor:", "  maxQueue: 10"));
  }
}
