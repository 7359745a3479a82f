package dev.levee.instrumentation.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.pipeline.LeveeFault;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one fail-open wrapper every hook goes through, called as the woven code calls it (the bridge's
 * function for the hook's site): what reaches the application is its own result, the method run untouched,
 * or an exception the hooked method declares.
 */
class MethodHookSeamTest {

  static final String TYPE = "example.Client";

  /** The handler's behaviour for one test. */
  interface Behaviour {
    Object run(Object self, Object[] args) throws Throwable;
  }

  static final class Hooks {
    Behaviour behaviour;
    final List<String> exits = new ArrayList<>();
  }

  final Hooks hooks = new Hooks();

  @AfterEach
  void clearFlag() {
    Thread.interrupted();
    PassThrough.take();
  }

  BiFunction<Object, Object[], Object> site(MethodHook<Hooks> hook) {
    return table(hook).get(hook.site());
  }

  /** The bridge's table for one hook, as the agent builds it. */
  Map<String, BiFunction<Object, Object[], Object>> table(MethodHook<Hooks> hook) {
    return BridgeTable.of(new LeveeInstrumentation<Hooks>() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public List<MethodHook<Hooks>> methodHooks() {
        return List.of(hook);
      }

      @Override
      public Hooks hooks(LeveeRuntime runtime) {
        return hooks;
      }
    }, hooks);
  }

  static MethodHook<Hooks> call(String... declared) {
    return MethodHook.<Hooks>call(TYPE, "execute", "()Ljava/lang/Object;", (h, self, args) -> h.behaviour.run(self, args))
        .declaring(declared);
  }

  @Test
  void theSiteIsTheHookedMethodItself() {
    assertEquals("example.Client.execute()Ljava/lang/Object;", call().site());
    assertEquals("implementors of java.sql.Statement.execute(Ljava/lang/String;)Z",
        MethodHook.<Hooks>returnEarlyInImplementors("java.sql.Statement", "execute", "(Ljava/lang/String;)Z",
            (h, s, a) -> null).site());
  }

  @Test
  void theHandlersResultIsReturned() {
    hooks.behaviour = (self, args) -> "answer";
    assertEquals("answer", site(call("java.io.IOException")).apply(this, new Object[0]));
  }

  @Test
  void aCallThePipelineIsMakingRunsUntouched() {
    hooks.behaviour = (self, args) -> {
      throw new AssertionError("the handler is not called for the pipeline's own attempt");
    };
    PassThrough.mark();
    assertNull(site(call()).apply(this, new Object[0]));
  }

  @Test
  void aLeveeFaultRunsTheMethodUntouched() {
    hooks.behaviour = (self, args) -> LeveeFault.guard(() -> {
      throw new NoSuchMethodException("a library changed");
    });
    assertNull(site(call("java.io.IOException")).apply(this, new Object[0]), "null: the method runs as written");
  }

  @Test
  void theLibrarysOwnExceptionsReachTheAppAsTheyAre() {
    IOException own = new IOException("connection reset");
    hooks.behaviour = (self, args) -> {
      throw own;
    };
    assertSame(own, assertThrows(IOException.class, () -> site(call("java.io.IOException")).apply(this, new Object[0])));
    IllegalStateException unchecked = new IllegalStateException("the app's own");
    hooks.behaviour = (self, args) -> {
      throw unchecked;
    };
    assertSame(unchecked, assertThrows(IllegalStateException.class, () -> site(call()).apply(this, new Object[0])));
  }

  @Test
  void anInterruptBecomesInterruptedIoExceptionWhereTheMethodDeclaresIoExceptionWithTheFlagSet() {
    InterruptedException interrupt = new InterruptedException("sleep interrupted");
    hooks.behaviour = (self, args) -> {
      throw interrupt;
    };
    InterruptedIOException e = assertThrows(InterruptedIOException.class,
        () -> site(call("java.io.IOException", "org.apache.hc.core5.http.HttpException")).apply(this, new Object[0]));
    assertSame(interrupt, e.getCause());
    assertTrue(Thread.interrupted(), "the flag is set again");
  }

  @Test
  void anInterruptBecomesAnSqlExceptionForJdbcWithTheFlagSet() {
    hooks.behaviour = (self, args) -> {
      throw new InterruptedException();
    };
    SQLException e = assertThrows(SQLException.class, () -> site(call("java.sql.SQLException")).apply(this, new Object[0]));
    assertEquals("HY008", e.getSQLState());
    assertTrue(Thread.interrupted());
  }

  @Test
  void anInterruptIsItselfWhereTheMethodDeclaresIt() {
    InterruptedException interrupt = new InterruptedException();
    hooks.behaviour = (self, args) -> {
      throw interrupt;
    };
    assertSame(interrupt, assertThrows(InterruptedException.class,
        () -> site(call("java.io.IOException", "java.lang.InterruptedException")).apply(this, new Object[0])));
    assertFalse(Thread.interrupted(), "consumed, as the JDK's own send consumes it");
  }

  @Test
  void anUndeclaredCheckedExceptionIsWrappedInADeclaredOne() {
    Exception odd = new java.util.concurrent.TimeoutException("not declared");
    hooks.behaviour = (self, args) -> {
      throw odd;
    };
    IOException io = assertThrows(IOException.class, () -> site(call("java.io.IOException")).apply(this, new Object[0]));
    assertSame(odd, io.getCause());
    UndeclaredThrowableException none = assertThrows(UndeclaredThrowableException.class,
        () -> site(call()).apply(this, new Object[0]));
    assertSame(odd, none.getCause());
  }

  @Test
  void aScopedMethodRunsWhateverItsEntryAndExitThrow() {
    MethodHook<Hooks> scoped = MethodHook.scoped(TYPE, "service", "()V", (h, self, args) -> {
      throw new NoClassDefFoundError("a Levee bug on entry");
    }, h -> {
      h.exits.add("exit");
      throw new IllegalStateException("a Levee bug on exit");
    });
    Map<String, BiFunction<Object, Object[], Object>> table = table(scoped);
    assertNull(table.get(scoped.site()).apply(this, new Object[0]));
    assertNull(table.get(scoped.exitSite()).apply(null, null));
    assertEquals(List.of("exit"), hooks.exits);
  }

  @Test
  void aDoorThatFailsLetsTheMethodRunInItsScope() {
    MethodHook<Hooks> door = MethodHook.scopedReturnEarly(TYPE, "service", "()V", (h, self, args) -> {
      if (args.length == 0) {
        throw new IllegalStateException("a Levee bug at the door");
      }
      return Boolean.TRUE;
    }, h -> h.exits.add("exit"));
    Map<String, BiFunction<Object, Object[], Object>> table = table(door);
    assertNull(table.get(door.site()).apply(this, new Object[0]), "a fault: the method runs");
    assertEquals(Boolean.TRUE, table.get(door.site()).apply(this, new Object[] {"shed"}), "an answer: it does not");
    assertNull(table.get(door.exitSite()).apply(null, null));
    assertEquals(List.of("exit"), hooks.exits);
  }

  @Test
  void aFailingReplacementKeepsTheValue() {
    MethodHook<Hooks> field = MethodHook.replaceField(TYPE, "build", "()V", "timeout", "Ljava/time/Duration;",
        (h, self, value) -> {
          throw new LinkageError("a Levee bug");
        });
    assertNull(field.replacement(hooks).apply(this, new Object[] {java.time.Duration.ofSeconds(1)}));
  }
}
