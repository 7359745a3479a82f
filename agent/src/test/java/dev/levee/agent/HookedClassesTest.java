package dev.levee.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.instrumentation.api.LeveeInstrumentation;
import dev.levee.instrumentation.api.MethodHook;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An instrumentation that names its classes ({@link LeveeInstrumentation#hookedClasses}) or its class-file
 * markers ({@link LeveeInstrumentation#classFileMarkers}) is declared only when one of them is met: a class
 * it hooks but does not name, or an interface whose package it does not name, would never be woven.
 */
class HookedClassesTest {

  @Test
  void everyHookedClassAndEveryInterfacePackageIsNamed() {
    int byClass = 0;
    int byMarker = 0;
    for (LeveeInstrumentation<?> i : ServiceLoader.load(LeveeInstrumentation.class)) {
      if (i.hookedClasses() == null && i.classFileMarkers() == null) {
        continue;
      }
      Set<String> classes = i.hookedClasses() == null ? Set.of() : new HashSet<>(i.hookedClasses());
      List<String> markers = i.classFileMarkers();
      if (markers == null) {
        byClass++;
      } else {
        byMarker++;
      }
      for (MethodHook<?> hook : i.methodHooks()) {
        if (hook.isByInterface()) {
          assertNotNull(markers, i.name() + ": a hook named by interface cannot wait for a class: " + hook);
          assertTrue(markers.contains(hook.classFileMarker()),
              i.name() + " does not name " + hook.classFileMarker() + " in classFileMarkers()");
        } else {
          assertTrue(classes.contains(hook.typeName()), i.name() + " does not name " + hook.typeName() + " in hookedClasses()");
        }
      }
    }
    assertTrue(byClass >= 6, "jdk-httpclient, okhttp, apache-httpclient5, apache-httpclient4, httpurlconnection and "
        + "jdk-httpserver name their classes");
    assertTrue(byMarker >= 2, "jdbc and servlet name their interfaces' packages");
  }

  @Test
  void markersArePackagesWithSlashes() {
    for (LeveeInstrumentation<?> i : ServiceLoader.load(LeveeInstrumentation.class)) {
      for (String marker : i.classFileMarkers() == null ? List.<String>of() : i.classFileMarkers()) {
        assertTrue(marker.endsWith("/") && !marker.contains("."), i.name() + ": " + marker);
      }
    }
  }
}
