package dev.levee.instrumentation.jdbc;

import dev.levee.core.deadline.CurrentDeadline;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * JDBC: every driver, in any class loader, directly or through a pool. Drivers and statements have no
 * common class to hook by name, so the hooks are named by interface: each class that declares
 * {@code connect(String, Properties)} or an execute method of {@code Statement}/{@code PreparedStatement}
 * with its exact descriptor, and whose class file names {@code java/sql/}, is woven; at run time the hook
 * checks {@code instanceof Driver}/{@code Statement} and a per-thread depth, so a pool wrapper calling its
 * driver is one pipeline call.
 *
 * <p>HikariCP's own work on the caller's thread runs without the caller's deadline:
 * {@code getConnection} checks the liveness of the connection it hands out (a statement on PostgreSQL), and
 * it and {@code closeConnection} ask the pool's threads to open new connections. Under a request's expired
 * deadline, those checks were refused (so healthy connections were evicted) and the pool's threads opened
 * nothing, their connects refused, for as long as the pool kept trying.
 */
public final class JdbcInstrumentation implements LeveeInstrumentation<JdbcHooks> {

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public List<MethodHook<JdbcHooks>> methodHooks() {
    List<MethodHook<JdbcHooks>> hooks = new ArrayList<>();
    hooks.add(MethodHook.<JdbcHooks>returnEarlyInImplementors("java.sql.Driver", "connect",
        "(Ljava/lang/String;Ljava/util/Properties;)Ljava/sql/Connection;", JdbcHooks::connect).declaring(SQLException.class));
    for (StatementMethod m : StatementMethod.values()) {
      hooks.add(MethodHook.<JdbcHooks>returnEarlyInImplementors(m.owner().getName(), m.methodName, m.descriptor,
          (h, self, args) -> h.statement(m, self, args)).declaring(SQLException.class));
    }
    // where a pool works for itself on the caller's thread, the thread has no deadline meanwhile
    hooks.add(MethodHook.scoped("com.zaxxer.hikari.HikariDataSource", "getConnection", "()Ljava/sql/Connection;",
        JdbcInstrumentation::suspendDeadline, JdbcInstrumentation::resumeDeadline));
    hooks.add(MethodHook.scoped("com.zaxxer.hikari.pool.HikariPool", "closeConnection",
        "(Lcom/zaxxer/hikari/pool/PoolEntry;Ljava/lang/String;)V",
        JdbcInstrumentation::suspendDeadline, JdbcInstrumentation::resumeDeadline));
    return hooks;
  }

  /** Declared when the app's first class naming {@code java/sql/} loads (every driver and pool does). */
  @Override
  public List<String> classFileMarkers() {
    return List.of("java/sql/");
  }

  @Override
  public List<String> hookedClasses() {
    return List.of("com.zaxxer.hikari.HikariDataSource", "com.zaxxer.hikari.pool.HikariPool");
  }

  @Override
  public JdbcHooks hooks(LeveeRuntime runtime) {
    return new JdbcHooks(runtime.jdbc());
  }

  private static Object suspendDeadline(JdbcHooks hooks, Object pool, Object[] args) {
    CurrentDeadline.suspend();
    return null;
  }

  private static void resumeDeadline(JdbcHooks hooks) {
    CurrentDeadline.resume();
  }
}
