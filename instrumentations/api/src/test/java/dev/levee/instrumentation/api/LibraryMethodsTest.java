package dev.levee.instrumentation.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

public class LibraryMethodsTest {

  public interface Call {
    String execute(String what) throws IOException;
  }

  /** Not public, like OkHttp's or HttpClient's implementation classes: reached through its public interface. */
  static final class RealCall implements Call {
    @Override
    public String execute(String what) throws IOException {
      if (what == null) {
        throw new IOException("no request");
      }
      return "executed " + what;
    }

    public long timeout(long amount, TimeUnit unit) {
      return unit.toMillis(amount);
    }
  }

  @Test
  void callsAPublicInterfaceMethodOfANonPublicClass() throws Throwable {
    assertEquals("executed x", LibraryMethods.invoke(new RealCall(), "execute", "x"));
  }

  @Test
  void theMethodsOwnExceptionComesThroughAsItIs() {
    IOException e = assertThrows(IOException.class, () -> LibraryMethods.invoke(new RealCall(), "execute", (Object) null));
    assertEquals("no request", e.getMessage());
  }

  @Test
  void primitivesAndOverloadsByArgumentTypes() throws Throwable {
    List<String> list = new ArrayList<>(List.of("a"));
    LibraryMethods.invoke(list, "add", "b");
    LibraryMethods.invoke(list, "add", 0, "z");
    assertEquals(List.of("z", "a", "b"), list);
    assertEquals(true, LibraryMethods.invoke(Collections.unmodifiableList(list), "contains", "z"));
  }

  @Test
  void aMissingMethodIsNamed() {
    NoSuchMethodException e = assertThrows(NoSuchMethodException.class, () -> LibraryMethods.invoke(new RealCall(), "enqueue", "x"));
    assertEquals(RealCall.class.getName() + ".enqueue taking 1 arguments", e.getMessage());
  }

  @Test
  void classBesideUsesTheAnchorsLoader() throws Exception {
    assertSame(Call.class, LibraryMethods.classBeside(new RealCall(), Call.class.getName()));
  }
}
