package dev.levee.instrumentation.executors;

import dev.levee.core.config.ExecutorsConfig;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The deadline follows the work across the application's threads: where a task or a
 * {@code CompletableFuture} stage's function is handed to another thread, it is wrapped to run with the
 * deadline of the thread that handed it over ({@link HandOff}). Every hook replaces one argument on
 * entry to a {@code java.base} method; the woven code names only the bridge and JDK types, the wrappers
 * pass through as the {@code Runnable}, {@code Callable} or function they stand for.
 *
 * <p>Not hooked, on purpose: {@code scheduleAtFixedRate}/{@code scheduleWithFixedDelay} (a periodic task
 * outlives the request that scheduled it), {@code ForkJoinTask.fork}/{@code invoke} (a ForkJoinTask is
 * never wrapped), and platform threads started with {@code new Thread(r).start()} (a long-lived thread
 * started lazily from a request would keep that request's deadline).
 *
 * <p>Descriptors checked against JDK 17 and JDK 25. {@code ThreadBuilders} exists from JDK 21 only: a
 * hook on a class that never loads costs nothing and says nothing. On JDK 11 some
 * {@code CompletableFuture} stages have other descriptors (no Executor argument): each such hook logs
 * one warning and does not apply.
 */
public final class ExecutorsInstrumentation implements LeveeInstrumentation<ThreadPoolHooks> {

  private static final String RUNNABLE = "Ljava/lang/Runnable;";
  private static final String CALLABLE = "Ljava/util/concurrent/Callable;";
  private static final String EXECUTOR = "Ljava/util/concurrent/Executor;";
  private static final String STAGE = "Ljava/util/concurrent/CompletionStage;";
  private static final String RETURNS_CF = ")Ljava/util/concurrent/CompletableFuture;";
  private static final String FUNCTION = "Ljava/util/function/Function;";
  private static final String BI_FUNCTION = "Ljava/util/function/BiFunction;";
  private static final String CONSUMER = "Ljava/util/function/Consumer;";
  private static final String BI_CONSUMER = "Ljava/util/function/BiConsumer;";
  private static final String SUPPLIER = "Ljava/util/function/Supplier;";

  // Class literals, not strings: they load these classes in premain, before Levee's transformer is
  // registered; they are woven by retransformation once Levee is ready. Left to load later, an app that
  // makes a pool in its first lines would hold a class's loading while it waits for Levee to be ready,
  // and Levee's start-up (which builds its ScheduledThreadPoolExecutor timer) would wait for that class:
  // a 20 s stall at startup per class (measured with an app that does so).
  // names, not ThreadPoolExecutor.class.getName(): an app that never uses a pool or CompletableFuture does not
  // load them, and Levee does not load them for it (a class loaded before Levee is ready is rewoven later, at a
  // safepoint: CompletableFuture alone is ~2,000 lines of bytecode to weave twice)
  private static final String TPE = "java.util.concurrent.ThreadPoolExecutor";
  private static final String STPE = "java.util.concurrent.ScheduledThreadPoolExecutor";
  private static final String FJP = "java.util.concurrent.ForkJoinPool";
  private static final String CF = "java.util.concurrent.CompletableFuture";
  private static final String THREAD_BUILDERS = "java.lang.ThreadBuilders";

  /** A hook that hands {@code argument} over wrapped to carry the caller's deadline ({@link HandOff#wrap}). */
  private static MethodHook<ThreadPoolHooks> handOff(String type, String method, String descriptor, int argument,
      HandOff.Work work) {
    return MethodHook.replaceArgument(type, method, descriptor, argument, (hooks, self, task) -> HandOff.wrap(work, task));
  }

  /** Made when the instrumentation is declared, not when it is found: at startup nothing of it is needed yet. */
  private static List<MethodHook<ThreadPoolHooks>> handOffs() {
    return Arrays.asList(
      // one-shot delayed tasks; execute and submit of a ScheduledThreadPoolExecutor come here too
      handOff(STPE, "schedule", "(" + RUNNABLE + "JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/ScheduledFuture;", 0, HandOff.Work.RUNNABLE),
      handOff(STPE, "schedule", "(" + CALLABLE + "JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/ScheduledFuture;", 0, HandOff.Work.CALLABLE),

      handOff(FJP, "execute", "(" + RUNNABLE + ")V", 0, HandOff.Work.RUNNABLE),
      handOff(FJP, "submit", "(" + RUNNABLE + ")Ljava/util/concurrent/ForkJoinTask;", 0, HandOff.Work.RUNNABLE),
      handOff(FJP, "submit", "(" + RUNNABLE + "Ljava/lang/Object;)Ljava/util/concurrent/ForkJoinTask;", 0, HandOff.Work.RUNNABLE),
      handOff(FJP, "submit", "(" + CALLABLE + ")Ljava/util/concurrent/ForkJoinTask;", 0, HandOff.Work.CALLABLE),

      // every stage, sync or async, is made by one of these: its function runs with the deadline of the
      // thread that made the stage, whichever thread completes the stage before it
      handOff(CF, "uniApplyStage", "(" + EXECUTOR + FUNCTION + RETURNS_CF, 1, HandOff.Work.FUNCTION),
      handOff(CF, "uniAcceptStage", "(" + EXECUTOR + CONSUMER + RETURNS_CF, 1, HandOff.Work.CONSUMER),
      handOff(CF, "uniRunStage", "(" + EXECUTOR + RUNNABLE + RETURNS_CF, 1, HandOff.Work.RUNNABLE),
      handOff(CF, "uniWhenCompleteStage", "(" + EXECUTOR + BI_CONSUMER + RETURNS_CF, 1, HandOff.Work.BI_CONSUMER),
      handOff(CF, "uniHandleStage", "(" + EXECUTOR + BI_FUNCTION + RETURNS_CF, 1, HandOff.Work.BI_FUNCTION),
      handOff(CF, "uniExceptionallyStage", "(" + EXECUTOR + FUNCTION + RETURNS_CF, 1, HandOff.Work.FUNCTION),
      handOff(CF, "uniComposeExceptionallyStage", "(" + EXECUTOR + FUNCTION + RETURNS_CF, 1, HandOff.Work.FUNCTION),
      handOff(CF, "uniComposeStage", "(" + EXECUTOR + FUNCTION + RETURNS_CF, 1, HandOff.Work.FUNCTION),
      handOff(CF, "biApplyStage", "(" + EXECUTOR + STAGE + BI_FUNCTION + RETURNS_CF, 2, HandOff.Work.BI_FUNCTION),
      handOff(CF, "biAcceptStage", "(" + EXECUTOR + STAGE + BI_CONSUMER + RETURNS_CF, 2, HandOff.Work.BI_CONSUMER),
      handOff(CF, "biRunStage", "(" + EXECUTOR + STAGE + RUNNABLE + RETURNS_CF, 2, HandOff.Work.RUNNABLE),
      handOff(CF, "orApplyStage", "(" + EXECUTOR + STAGE + FUNCTION + RETURNS_CF, 2, HandOff.Work.FUNCTION),
      handOff(CF, "orAcceptStage", "(" + EXECUTOR + STAGE + CONSUMER + RETURNS_CF, 2, HandOff.Work.CONSUMER),
      handOff(CF, "orRunStage", "(" + EXECUTOR + STAGE + RUNNABLE + RETURNS_CF, 2, HandOff.Work.RUNNABLE),
      handOff(CF, "asyncSupplyStage", "(" + EXECUTOR + SUPPLIER + RETURNS_CF, 1, HandOff.Work.SUPPLIER),
      handOff(CF, "asyncRunStage", "(" + EXECUTOR + RUNNABLE + RETURNS_CF, 1, HandOff.Work.RUNNABLE),
      // hands an AsyncSupply (a ForkJoinTask) straight to the executor, not through asyncSupplyStage
      handOff(CF, "completeAsync", "(" + SUPPLIER + EXECUTOR + RETURNS_CF, 0, HandOff.Work.SUPPLIER),

      // JDK 21+: Thread.ofVirtual().start/unstarted, Thread.startVirtualThread and the virtual thread
      // factory (so newVirtualThreadPerTaskExecutor) all create their thread here, on the caller's thread
      handOff(THREAD_BUILDERS, "newVirtualThread",
          "(" + EXECUTOR + "Ljava/lang/String;I" + RUNNABLE + ")Ljava/lang/Thread;", 3, HandOff.Work.RUNNABLE));
  }

  @Override
  public String name() {
    return "executors";
  }

  /**
   * Declared when one of these loads (Levee's own timer loads the pools once Levee is ready), or, already loaded,
   * is rewoven: not on the way to the app's first hooked class.
   */
  @Override
  public List<String> hookedClasses() {
    return Arrays.asList(TPE, STPE, FJP, CF, THREAD_BUILDERS);
  }

  @Override
  public List<MethodHook<ThreadPoolHooks>> methodHooks() {
    List<MethodHook<ThreadPoolHooks>> hooks = new ArrayList<>();
    // covers submit, invokeAll, invokeAny and the Executors.newFixed/Cached/SingleThread pools
    hooks.add(MethodHook.replaceArgumentOrReturn(TPE, "execute", "(" + RUNNABLE + ")V", 0, ThreadPoolHooks::execute));
    // every other constructor ends in this one
    hooks.add(MethodHook.constructed(TPE, "(IIJLjava/util/concurrent/TimeUnit;Ljava/util/concurrent/BlockingQueue;"
        + "Ljava/util/concurrent/ThreadFactory;Ljava/util/concurrent/RejectedExecutionHandler;)V",
        ThreadPoolHooks::constructed));
    hooks.add(MethodHook.replaceArgument(TPE, "remove", "(" + RUNNABLE + ")Z", 0, ThreadPoolHooks::remove));
    hooks.addAll(handOffs());
    return hooks;
  }

  /** The pools' hooks; the other hand-offs keep no state. */
  @Override
  public ThreadPoolHooks hooks(LeveeRuntime runtime) {
    return new ThreadPoolHooks(runtime == null ? ExecutorsConfig.NO_LIMIT : runtime.config().executors().maxQueue());
  }
}
