package dev.levee.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.config.RetryBudgetConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final ManualClock clock = new ManualClock();

  private static int withdrawAll(RetryBudget budget) {
    int n = 0;
    while (budget.tryWithdraw()) {
      n++;
    }
    return n;
  }

  @Test
  void theReserveAloneAllowsMinRetriesPerSecondTimesTtl() {
    RetryBudget budget = new RetryBudget(new RetryBudgetConfig(0.2, 10, Duration.ofSeconds(10)), clock);
    assertEquals(100, budget.retriesAvailable());
    assertEquals(100, withdrawAll(budget));
    assertFalse(budget.tryWithdraw());
  }

  @Test
  void everyRequestDepositsRatioOfARetry() {
    RetryBudget budget = new RetryBudget(new RetryBudgetConfig(0.2, 0, Duration.ofSeconds(10)), clock);
    for (int i = 0; i < 4; i++) {
      budget.deposit();
    }
    assertFalse(budget.tryWithdraw(), "4 requests x 0.2 is under one retry");
    budget.deposit();
    assertTrue(budget.tryWithdraw());
    assertFalse(budget.tryWithdraw());
  }

  @Test
  void depositsFromManyThreadsAtOnceAreAllCounted() throws Exception {
    // deposits take no lock: none may be lost, while the window moves under them too
    RetryBudget budget = new RetryBudget(new RetryBudgetConfig(1.0, 0, Duration.ofSeconds(10)), clock);
    int threads = 4;
    int each = 20_000;
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.List<Thread> started = new java.util.ArrayList<>();
    long start = clock.nanoTime();
    for (int t = 0; t < threads; t++) {
      long at = start + t * 1_100_000_000L; // four instants, in four slices (1 s each) of the 10 s window
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          budget.deposit(at + i);
        }
      });
      thread.start();
      started.add(thread);
    }
    go.countDown();
    for (Thread thread : started) {
      thread.join();
    }
    clock.advance(Duration.ofSeconds(1));
    assertEquals(threads * each, budget.retriesAvailable(), "every deposit of 1.0 retry, still within the ttl");
  }

  @Test
  void theRetryStormExampleGetsAtMostThreeHundredRetries() {
    // 1,000 requests, each failing: ratio 0.2 gives 200, the reserve 10/s x 10 s another 100
    RetryBudget budget = new RetryBudget(new RetryBudgetConfig(0.2, 10, Duration.ofSeconds(10)), clock);
    int retries = 0;
    for (int i = 0; i < 1000; i++) {
      budget.deposit();
      for (int r = 0; r < 2 && budget.tryWithdraw(); r++) {
        retries++;
      }
    }
    assertEquals(300, retries);
  }

  @Test
  void depositsAndWithdrawalsExpireAfterTtl() {
    RetryBudget budget = new RetryBudget(new RetryBudgetConfig(1.0, 0, Duration.ofSeconds(10)), clock);
    budget.deposit();
    budget.deposit();
    clock.advance(Duration.ofMillis(8_999));
    assertEquals(2, budget.retriesAvailable());
    assertTrue(budget.tryWithdraw()); // in the slice of 9 s
    clock.advance(Duration.ofMillis(1_001)); // 10 s: the first slice's deposits are gone
    assertEquals(0, budget.retriesAvailable(), "2 deposits expired, the withdrawal not yet");
    clock.advance(Duration.ofSeconds(9));
    assertEquals(0, budget.retriesAvailable());
    budget.deposit();
    assertEquals(1, budget.retriesAvailable(), "the old withdrawal has expired too");
  }

  @Test
  void theReserveRefillsOnceItsWithdrawalsExpire() {
    RetryBudget budget = new RetryBudget(new RetryBudgetConfig(0.2, 1, Duration.ofSeconds(2)), clock);
    assertEquals(2, withdrawAll(budget));
    clock.advance(Duration.ofMillis(1_999));
    assertFalse(budget.tryWithdraw());
    clock.advance(Duration.ofMillis(1));
    assertEquals(2, withdrawAll(budget));
  }

  @Test
  void aLongIdleWindowIsEmptied() {
    RetryBudget budget = new RetryBudget(new RetryBudgetConfig(1.0, 0, Duration.ofSeconds(1)), clock);
    budget.deposit();
    clock.advance(Duration.ofDays(3));
    assertEquals(0, budget.retriesAvailable());
    budget.deposit();
    assertEquals(1, budget.retriesAvailable());
  }

  @Test
  void ratioZeroLeavesOnlyTheReserve() {
    RetryBudget budget = new RetryBudget(new RetryBudgetConfig(0, 1, Duration.ofSeconds(3)), clock);
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }
    assertEquals(3, withdrawAll(budget));
  }
}
