package dev.levee.agent;

import java.lang.invoke.MethodHandles;

/**
 * Defines classes into {@code java.lang} (and so into {@code java.base}, bootstrap loader). Loaded on its
 * own into a throwaway class loader whose unnamed module alone gets {@code java.lang} opened to it, so the
 * application's unnamed module gains no access it did not have. Uses {@code java.base} only.
 */
public final class BridgeDefiner {

  private BridgeDefiner() {}

  public static Class<?> define(byte[] classFile) throws IllegalAccessException {
    return MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup()).defineClass(classFile);
  }
}
