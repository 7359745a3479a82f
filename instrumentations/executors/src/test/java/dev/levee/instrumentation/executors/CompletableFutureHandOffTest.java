package dev.levee.instrumentation.executors;

import static dev.levee.instrumentation.executors.HandOffs.DEADLINE;
import static dev.levee.instrumentation.executors.HandOffs.handOver;
import static dev.levee.instrumentation.executors.HandOffs.site;
import static dev.levee.instrumentation.executors.HandOffs.withDeadline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.levee.core.deadline.CurrentDeadline;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stage's function runs with the deadline of the thread that made the stage, whichever thread
 * completes what it waits for. Each case makes a stage the way the public method would (the hooked
 * private method gets the function through the hook), and a thread without a deadline completes it.
 */
class CompletableFutureHandOffTest {

  static final String EXECUTOR = "(Ljava/util/concurrent/Executor;";
  static final String STAGE = "Ljava/util/concurrent/CompletionStage;";

  final AtomicLong seen = new AtomicLong();
  final ExecutorService plain = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    plain.shutdownNow();
  }

  /** A stage made from a source (and another future, for the two-input stages), with its function. */
  interface Stage {
    CompletableFuture<?> make(CompletableFuture<String> source, CompletableFuture<String> other, CompletableFutureHandOffTest t);
  }

  static final class Case {
    final String name;
    final boolean failSource;
    final Stage stage;

    Case(String name, boolean failSource, Stage stage) {
      this.name = name;
      this.failSource = failSource;
      this.stage = stage;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The function the public method hands to the hooked one, as the woven code passes it on. */
  <T> T hooked(String method, String parameters, CompletableFuture<?> self, T function) {
    return handOver(site("CompletableFuture", method, parameters), self, function);
  }

  Function<Object, String> recordingFunction() {
    return x -> {
      seen.set(CurrentDeadline.get());
      return "r";
    };
  }

  static List<Case> stages() {
    return List.of(
        new Case("thenApply", false, (s, o, t) ->
            s.thenApply(t.hooked("uniApplyStage", EXECUTOR + "Ljava/util/function/Function;)", s, t.recordingFunction()))),
        new Case("thenApplyAsync", false, (s, o, t) ->
            s.thenApplyAsync(t.hooked("uniApplyStage", EXECUTOR + "Ljava/util/function/Function;)", s, t.recordingFunction()), t.plain)),
        new Case("thenAccept", false, (s, o, t) ->
            s.thenAccept(t.hooked("uniAcceptStage", EXECUTOR + "Ljava/util/function/Consumer;)", s, (Consumer<Object>) x -> t.record()))),
        new Case("thenRun", false, (s, o, t) ->
            s.thenRun(t.hooked("uniRunStage", EXECUTOR + "Ljava/lang/Runnable;)", s, (Runnable) t::record))),
        new Case("whenComplete", false, (s, o, t) ->
            s.whenComplete(t.hooked("uniWhenCompleteStage", EXECUTOR + "Ljava/util/function/BiConsumer;)", s,
                (BiConsumer<Object, Throwable>) (x, e) -> t.record()))),
        new Case("handle", false, (s, o, t) ->
            s.handle(t.hooked("uniHandleStage", EXECUTOR + "Ljava/util/function/BiFunction;)", s,
                (BiFunction<Object, Throwable, String>) (x, e) -> t.record()))),
        new Case("exceptionally", true, (s, o, t) ->
            s.exceptionally(t.hooked("uniExceptionallyStage", EXECUTOR + "Ljava/util/function/Function;)", s,
                (Function<Throwable, String>) e -> t.record()))),
        new Case("exceptionallyCompose", true, (s, o, t) ->
            s.exceptionallyCompose(t.hooked("uniComposeExceptionallyStage", EXECUTOR + "Ljava/util/function/Function;)", s,
                (Function<Throwable, CompletableFuture<String>>) e -> CompletableFuture.completedFuture(t.record())))),
        new Case("thenCompose", false, (s, o, t) ->
            s.thenCompose(t.hooked("uniComposeStage", EXECUTOR + "Ljava/util/function/Function;)", s,
                (Function<Object, CompletableFuture<String>>) x -> CompletableFuture.completedFuture(t.record())))),
        new Case("thenCombine", false, (s, o, t) ->
            s.thenCombine(o, t.hooked("biApplyStage", EXECUTOR + STAGE + "Ljava/util/function/BiFunction;)", s,
                (BiFunction<Object, Object, String>) (x, y) -> t.record()))),
        new Case("thenAcceptBoth", false, (s, o, t) ->
            s.thenAcceptBoth(o, t.hooked("biAcceptStage", EXECUTOR + STAGE + "Ljava/util/function/BiConsumer;)", s,
                (BiConsumer<Object, Object>) (x, y) -> t.record()))),
        new Case("runAfterBoth", false, (s, o, t) ->
            s.runAfterBoth(o, t.hooked("biRunStage", EXECUTOR + STAGE + "Ljava/lang/Runnable;)", s, (Runnable) t::record))),
        new Case("applyToEither", false, (s, o, t) ->
            s.applyToEither(o, t.hooked("orApplyStage", EXECUTOR + STAGE + "Ljava/util/function/Function;)", s, t.recordingFunction()))),
        new Case("acceptEither", false, (s, o, t) ->
            s.acceptEither(o, t.hooked("orAcceptStage", EXECUTOR + STAGE + "Ljava/util/function/Consumer;)", s,
                (Consumer<Object>) x -> t.record()))),
        new Case("runAfterEither", false, (s, o, t) ->
            s.runAfterEither(o, t.hooked("orRunStage", EXECUTOR + STAGE + "Ljava/lang/Runnable;)", s, (Runnable) t::record))),
        new Case("supplyAsync", false, (s, o, t) -> CompletableFuture.supplyAsync(
            t.hooked("asyncSupplyStage", EXECUTOR + "Ljava/util/function/Supplier;)", null, (Supplier<String>) t::record), t.plain)),
        new Case("runAsync", false, (s, o, t) -> CompletableFuture.runAsync(
            t.hooked("asyncRunStage", EXECUTOR + "Ljava/lang/Runnable;)", null, (Runnable) t::record), t.plain)),
        new Case("completeAsync", false, (s, o, t) -> new CompletableFuture<String>().completeAsync(
            t.hooked("completeAsync", "(Ljava/util/function/Supplier;Ljava/util/concurrent/Executor;)", s,
                (Supplier<String>) t::record), t.plain)));
  }

  String record() {
    seen.set(CurrentDeadline.get());
    return "r";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void theStageFunctionRunsWithTheDeadlineOfTheThreadThatMadeTheStage(Case c) throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> other = new CompletableFuture<>();
    CompletableFuture<?> stage = withDeadline(() -> c.stage.make(source, other, this));

    // completed by a thread with no deadline of its own, which has none afterwards either
    long completerAfter = plain.submit(() -> {
      if (c.failSource) {
        source.completeExceptionally(new IllegalStateException("source failed"));
      } else {
        source.complete("s");
      }
      other.complete("o");
      return CurrentDeadline.get();
    }).get(5, TimeUnit.SECONDS);
    stage.get(5, TimeUnit.SECONDS);
    assertEquals(DEADLINE, seen.get(), c.name);
    assertEquals(CurrentDeadline.NONE, completerAfter, c.name);
    assertEquals(CurrentDeadline.NONE, (long) plain.submit(CurrentDeadline::get).get(5, TimeUnit.SECONDS));
  }

  @Test
  void withoutADeadlineTheFunctionIsHandedOverAsItIs() {
    Function<Object, String> function = recordingFunction();
    assertSame(function, hooked("uniApplyStage", EXECUTOR + "Ljava/util/function/Function;)", null, function));
    Supplier<String> supplier = this::record;
    assertSame(supplier, hooked("asyncSupplyStage", EXECUTOR + "Ljava/util/function/Supplier;)", null, supplier));
  }

  @Test
  void aNullFunctionStaysNullForTheStageToReject() throws Exception {
    Function<Object, String> none = withDeadline(() -> hooked("uniApplyStage", EXECUTOR + "Ljava/util/function/Function;)", null, null));
    assertEquals(null, none);
  }

  @Test
  void exceptionsReachTheAppUnchanged() throws Exception {
    IllegalStateException thrown = new IllegalStateException("app failure");
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> stage = withDeadline(() -> source.thenApply(
        hooked("uniApplyStage", EXECUTOR + "Ljava/util/function/Function;)", source, (Function<String, String>) x -> {
          throw thrown;
        })));
    source.complete("s");
    ExecutionException failed = assertThrows(ExecutionException.class, () -> stage.get(5, TimeUnit.SECONDS));
    assertSame(thrown, failed.getCause());
    CompletionException joined = assertThrows(CompletionException.class, stage::join);
    assertSame(thrown, joined.getCause());
    assertEquals(CurrentDeadline.NONE, CurrentDeadline.get());
  }
}
