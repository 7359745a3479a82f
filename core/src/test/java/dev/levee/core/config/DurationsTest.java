package dev.levee.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesEveryUnit() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(2), Durations.parse("2s"));
    assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ZERO, Durations.parse("0ms"));
  }

  @Test
  void refusesWhatIsNotAWholeAmountWithAUnit() {
    for (String bad : new String[] {"2", "1.5s", "-1s", "2 s", "2S", "2sec", "1d", "", "s", "366d", "8761h"}) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
  }

  @Test
  void suggestsWhatWasMeant() {
    assertEquals("1500ms", Durations.suggest("1.5s"));
    assertEquals("2s", Durations.suggest("2sec"));
    assertEquals("2s", Durations.suggest("2 s"));
    assertEquals("2m", Durations.suggest("2 minutes"));
    assertEquals("250ms", Durations.suggest("250MS"));
    assertNull(Durations.suggest("2"));
    assertNull(Durations.suggest("0.5ms"));
    assertNull(Durations.suggest("-1s"));
  }

  @Test
  void formatsTheWayResilienceYamlWritesIt() {
    assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("1m", Durations.format(Duration.ofSeconds(60)));
    assertEquals("1h", Durations.format(Duration.ofMinutes(60)));
    assertEquals("0ms", Durations.format(Duration.ZERO));
  }
}
