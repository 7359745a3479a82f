package dev.levee.instrumentation.jdbc;

import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * JDBC: every driver, in any class loader, directly or through a pool. Drivers and statements have no
 * common class to hook by name, so the hooks are named by interface: each class that declares
 * {@code connect(String, Properties)} or an execute method of {@code Statement}/{@code PreparedStatement}
 * with its exact descriptor, and whose class file names {@code java/sql/}, is woven; at run time the hook
 * checks {@code instanceof Driver}/{@code Statement} and a per-thread depth, so a pool wrapper calling its
 * driver is one pipeline call.
 *
 * <p>HikariCP's own work on the caller's thread runs without the caller's deadline ({@link #POOL_WORK}):
 * {@code getConnection} checks the liveness of the connection it hands out (a statement on PostgreSQL), and
 * it and {@code closeConnection} ask the pool's threads to open new connections. Under a request's expired
 * deadline, those checks were refused (so healthy connections were evicted) and the pool's threads opened
 * nothing, their connects refused, for as long as the pool kept trying.
 */
public final class JdbcInstrumentation implements LeveeInstrumentation {

  static final String CONNECT = "jdbc.driver.connect";

  /** Where a pool works for itself on the caller's thread; the thread has no deadline meanwhile. */
  static final List<MethodHook> POOL_WORK = List.of(
      MethodHook.scoped("com.zaxxer.hikari.HikariDataSource", "getConnection", "()Ljava/sql/Connection;",
          "jdbc.hikari.getConnection"),
      MethodHook.scoped("com.zaxxer.hikari.pool.HikariPool", "closeConnection",
          "(Lcom/zaxxer/hikari/pool/PoolEntry;Ljava/lang/String;)V", "jdbc.hikari.closeConnection"));

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public List<MethodHook> methodHooks() {
    List<MethodHook> hooks = new ArrayList<>();
    hooks.add(MethodHook.returnEarlyInImplementors(
        "java.sql.Driver", "connect", "(Ljava/lang/String;Ljava/util/Properties;)Ljava/sql/Connection;", CONNECT));
    for (StatementMethod m : StatementMethod.values()) {
      hooks.add(MethodHook.returnEarlyInImplementors(m.owner().getName(), m.methodName, m.descriptor, m.site()));
    }
    hooks.addAll(POOL_WORK);
    return hooks;
  }

  @Override
  public Map<String, BiFunction<Object, Object[], Object>> hooks(LeveeRuntime runtime) {
    JdbcHooks hooks = new JdbcHooks(runtime.jdbc());
    Map<String, BiFunction<Object, Object[], Object>> map = new HashMap<>();
    map.put(CONNECT, hooks::connect);
    for (StatementMethod m : StatementMethod.values()) {
      map.put(m.site(), (self, args) -> hooks.statement(m, self, args));
    }
    for (MethodHook poolWork : POOL_WORK) {
      map.put(poolWork.site(), (self, args) -> {
        CurrentDeadline.suspend();
        return null;
      });
      map.put(poolWork.exitSite(), (self, args) -> {
        CurrentDeadline.resume();
        return null;
      });
    }
    return map;
  }
}
