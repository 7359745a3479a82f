package dev.levee.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.bridge.LeveeBridge;
import example.jdbc.FakeStatement;
import example.jdbc.PlainRunner;
import example.jdbc.QueryRunner;
import example.servlet.AppHandler;
import example.servlet.BaseHandler;
import example.servlet.TracingHandler;
import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.LeveeRuntime;
import dev.levee.instrumentation.api.MethodHook;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hooks named by interface: which classes are candidates, which methods are woven, and through the gate. */
class ImplementorMatcherTest {

  static final MethodHook<?> QUERY = MethodHook.returnEarlyInImplementors(
      "java.sql.Statement", "executeQuery", "(Ljava/lang/String;)Ljava/sql/ResultSet;", null);
  static final MethodHook<?> EXECUTE = MethodHook.returnEarlyInImplementors(
      "java.sql.Statement", "execute", "(Ljava/lang/String;)Z", null);
  static final MethodHook<?> BATCH = MethodHook.returnEarlyInImplementors(
      "java.sql.Statement", "executeBatch", "()[I", null);
  static final MethodHook<?> UPDATE_COLUMNS = MethodHook.returnEarlyInImplementors(
      "java.sql.Statement", "executeUpdate", "(Ljava/lang/String;[I)I", null);
  static final List<MethodHook<?>> ALL = List.of(QUERY, EXECUTE, BATCH, UPDATE_COLUMNS);

  final ImplementorMatcher matcher = new ImplementorMatcher(ALL);
  final Map<String, BiFunction<Object, Object[], Object>> hooks = new HashMap<>();

  @AfterEach
  void uninstall() {
    LeveeBridge.install(Collections.emptyMap());
  }

  static byte[] classFile(Class<?> type) throws Exception {
    return Bridge.read(type.getClassLoader(), type.getName());
  }

  static String internal(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  @Test
  void theMarkerIsTheInterfacesPackage() {
    assertEquals("java/sql/", QUERY.classFileMarker());
    assertTrue(QUERY.isByInterface());
    assertNull(QUERY.internalTypeName());
  }

  @Test
  void onlyMethodsTheClassDeclaresWithTheExactDescriptorAreMatched() throws Exception {
    // executeBatch is not declared; the static execute(int) has another descriptor
    assertEquals(List.of(QUERY, EXECUTE, UPDATE_COLUMNS), matcher.match(internal(QueryRunner.class), classFile(QueryRunner.class)));
  }

  @Test
  void markersEndingAlikeAreScannedForOnceAndTellApart() throws Exception {
    // as javax/servlet/ and jakarta/servlet/: one scan for "sql/", then what precedes each occurrence
    MethodHook<?> javaxQuery = MethodHook.returnEarlyInImplementors(
        "javax.sql.Statement", "executeQuery", "(Ljava/lang/String;)Ljava/sql/ResultSet;", null);
    ImplementorMatcher both = new ImplementorMatcher(List.of(javaxQuery, QUERY));
    assertEquals(List.of(QUERY), both.match(internal(QueryRunner.class), classFile(QueryRunner.class)),
        "QueryRunner names java/sql/ only");
    assertEquals(List.of(), new ImplementorMatcher(List.of(javaxQuery))
        .match(internal(QueryRunner.class), classFile(QueryRunner.class)));
  }

  @Test
  void aClassThatNeverNamesTheInterfacesPackageIsNotParsed() throws Exception {
    assertEquals(List.of(), matcher.match(internal(PlainRunner.class), classFile(PlainRunner.class)));
  }

  @Test
  void jdkAndLeveeClassesAreNeverMatched() throws Exception {
    byte[] bytes = classFile(QueryRunner.class);
    for (String name : List.of("java/sql/Foo", "javax/sql/Foo", "jdk/proxy1/$Proxy3", "sun/jdbc/Foo", "com/sun/rowset/Foo", "dev/levee/x/Foo")) {
      assertEquals(List.of(), matcher.match(name, bytes), name);
    }
  }

  @Test
  void theByteScanFindsTheMarkerAnywhere() {
    byte[] marker = "java/sql/".getBytes(StandardCharsets.UTF_8);
    assertTrue(ImplementorMatcher.contains("xxjava/sql/".getBytes(StandardCharsets.UTF_8), marker));
    assertTrue(ImplementorMatcher.contains("java/sql/Statement".getBytes(StandardCharsets.UTF_8), marker));
    assertFalse(ImplementorMatcher.contains("java/sqlx/java/sq".getBytes(StandardCharsets.UTF_8), marker));
    assertFalse(ImplementorMatcher.contains(new byte[0], marker));
  }

  @Test
  void theGateWeavesDeclaredMethodsAndTheHookRunsOnThem() throws Throwable {
    ClassNameGate gate = new ClassNameGate(Map.of(), ALL, new EntryHookWeaver("dev/levee/bridge/LeveeBridge"));
    gate.open(true);
    assertNull(gate.transform(null, null, internal(PlainRunner.class), null, null, classFile(PlainRunner.class)));
    byte[] woven = gate.transform(null, null, internal(QueryRunner.class), null, null, classFile(QueryRunner.class));
    assertNotNull(woven);

    List<String> seen = new ArrayList<>();
    hooks.put(EXECUTE.site(), (self, args) -> {
      seen.add("execute " + args[0]);
      return "levee".equals(args[0]) ? Boolean.TRUE : null;
    });
    hooks.put(UPDATE_COLUMNS.site(), (self, args) -> self instanceof Statement ? 7 : null);
    LeveeBridge.install(hooks);
    Object runner = define(QueryRunner.class, woven).getConstructor().newInstance();

    assertEquals(true, execute(runner, "levee"));
    assertEquals(0, EntryHookWeaverTest.bodyRuns(runner), "a non-null hook result replaces the body");
    assertEquals(false, execute(runner, "x"));
    assertEquals(1, EntryHookWeaverTest.bodyRuns(runner));
    assertEquals(List.of("execute levee", "execute x"), seen);
    assertEquals(2, EntryHookWeaverTest.call(runner, "executeUpdate", "u", new int[] {1, 2}),
        "not a Statement: the hook returns null and the method runs");
  }

  @Test
  void anInstrumentationNamedByMarkerIsDeclaredOnceWhenTheFirstClassNamingItsPackageLoads() throws Exception {
    List<String> events = new ArrayList<>();
    LeveeInstrumentation<Object> jdbcLike = new LeveeInstrumentation<Object>() {
      @Override
      public String name() {
        return "jdbc-like";
      }

      @Override
      public List<MethodHook<Object>> methodHooks() {
        events.add("declared");
        return List.of(MethodHook.<Object>returnEarlyInImplementors("java.sql.Statement", "execute", "(Ljava/lang/String;)Z", null));
      }

      @Override
      public List<String> classFileMarkers() {
        return List.of("java/sql/");
      }

      @Override
      public Object hooks(LeveeRuntime runtime) {
        return null;
      }
    };
    ClassNameGate gate = new ClassNameGate(Map.of(), List.of(), Map.of(), List.of(new ClassNameGate.Deferred(jdbcLike)),
        new EntryHookWeaver("dev/levee/bridge/LeveeBridge"));
    gate.binder((instrumentation, declared) -> events.add("bound " + declared.size()));
    gate.open(true);
    assertNull(gate.transform(null, null, internal(PlainRunner.class), null, null, classFile(PlainRunner.class)));
    assertNull(gate.transform(null, null, "java/sql/Foo", null, null, classFile(QueryRunner.class)),
        "a JDK class naming the package declares nothing");
    assertEquals(List.of(), events, "nothing named java/sql/ yet: nothing declared");
    assertFalse(gate.wantsLoaded(FakeStatement.class));

    assertNotNull(gate.transform(null, null, internal(QueryRunner.class), null, null, classFile(QueryRunner.class)),
        "the class that declares the instrumentation is woven itself");
    assertNull(gate.transform(null, null, internal(FakeStatement.class), null, null, classFile(FakeStatement.class)),
        "names java/sql/ but declares no hooked method");
    assertNotNull(gate.transform(null, null, "example/jdbc/Second", null, null, classFile(QueryRunner.class)));
    assertEquals(List.of("declared", "bound 1"), events, "declared and bound once");
    assertTrue(gate.wantsLoaded(FakeStatement.class), "its interfaces are known from then on");
  }

  @Test
  void anAlreadyLoadedClassIsRewovenWhenItImplementsTheInterface() {
    ClassNameGate gate = new ClassNameGate(Map.of(), ALL, new EntryHookWeaver("dev/levee/bridge/LeveeBridge"));
    assertFalse(gate.wantsLoaded(QueryRunner.class));
    assertFalse(gate.wantsLoaded(Statement.class), "the interface itself, a JDK class");
    assertFalse(gate.wantsLoaded(ImplementorMatcherTest.class));
    assertTrue(gate.wantsLoaded(FakeStatement.class));
  }

  @Test
  void anAlreadyLoadedClassIsMatchedByTheInterfacesNameAnywhereUpItsHierarchy() {
    // as for the Servlet APIs, which live in a container's or web app's loader: the hook names the interface only
    MethodHook<?> handle = MethodHook.scopedInImplementors(
        "example.servlet.Handler", "handle", "(Ljava/lang/Object;)V", null, null);
    ClassNameGate gate = new ClassNameGate(Map.of(), List.of(handle), new EntryHookWeaver("dev/levee/bridge/LeveeBridge"));
    assertTrue(gate.wantsLoaded(AppHandler.class), "through its superclass and a sub-interface");
    assertTrue(gate.wantsLoaded(BaseHandler.class));
    assertFalse(gate.wantsLoaded(TracingHandler.class), "an interface has nothing to weave");
    assertFalse(gate.wantsLoaded(FakeStatement.class));
    assertFalse(gate.wantsLoaded(String.class));
  }

  static Object execute(Object runner, String sql) throws Exception {
    return runner.getClass().getMethod("execute", String.class).invoke(runner, sql);
  }

  static Class<?> define(Class<?> type, byte[] classFile) {
    return new ClassLoader(type.getClassLoader()) {
      Class<?> define() {
        return defineClass(type.getName(), classFile, 0, classFile.length);
      }
    }.define();
  }
}
