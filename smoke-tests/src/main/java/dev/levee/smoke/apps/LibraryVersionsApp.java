package dev.levee.smoke.apps;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.yaml.snakeyaml.Yaml;

/**
 * An app that bundles its own Byte Buddy and SnakeYAML (the libraries the agent also uses, relocated)
 * and reports which copies it sees. Prints {@code key=value} lines:
 *
 * <pre>
 *   bytebuddy.class=net.bytebuddy.ByteBuddy
 *   bytebuddy.location=file:/.../byte-buddy-1.14.18.jar
 *   bytebuddy.version=1.14.18          (pom.properties inside the jar the class came from)
 *   bytebuddy.copies=1                 (how many net/bytebuddy/ByteBuddy.class the app's loader can see)
 *   bytebuddy.works=hello from byte buddy
 *   snakeyaml.... (the same keys)
 *   snakeyaml.works={name=levee-smoke, items=[1, 2]}
 * </pre>
 */
public final class LibraryVersionsApp {

  private LibraryVersionsApp() {}

  public static void main(String[] args) throws Exception {
    ClassLoader loader = LibraryVersionsApp.class.getClassLoader();
    describe("bytebuddy", Class.forName("net.bytebuddy.ByteBuddy", true, loader),
        "META-INF/maven/net.bytebuddy/byte-buddy/pom.properties", loader);
    describe("snakeyaml", Class.forName("org.yaml.snakeyaml.Yaml", true, loader),
        "META-INF/maven/org.yaml/snakeyaml/pom.properties", loader);

    Class<?> generated = new ByteBuddy()
        .subclass(Object.class)
        .name("dev.levee.smoke.apps.GeneratedByTheApp")
        .method(ElementMatchers.named("toString"))
        .intercept(FixedValue.value("hello from byte buddy"))
        .make()
        .load(loader, ClassLoadingStrategy.Default.WRAPPER)
        .getLoaded();
    System.out.println("bytebuddy.works=" + generated.getDeclaredConstructor().newInstance());

    Map<String, Object> doc = new Yaml().load("name: levee-smoke\nitems: [1, 2]\n");
    System.out.println("snakeyaml.works=" + doc);
    System.out.println("snakeyaml.worksType=" + doc.getClass().getName());
    System.out.flush();
  }

  private static void describe(String key, Class<?> type, String pomProperties, ClassLoader loader) throws IOException {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    System.out.println(key + ".class=" + type.getName());
    System.out.println(key + ".loader=" + type.getClassLoader());
    System.out.println(key + ".location=" + location);
    System.out.println(key + ".version=" + versionInJar(location, pomProperties));
    System.out.println(key + ".implementationVersion=" + type.getPackage().getImplementationVersion());
    List<URL> copies = Collections.list(loader.getResources(type.getName().replace('.', '/') + ".class"));
    System.out.println(key + ".copies=" + copies.size());
    System.out.println(key + ".copyLocations=" + copies);
  }

  /** The version in the jar the class itself came from, not whatever the class path finds first. */
  private static String versionInJar(URL location, String pomProperties) throws IOException {
    if (location == null || !location.getProtocol().equals("file") || !location.getPath().endsWith(".jar")) {
      return "unknown (not from a jar: " + location + ")";
    }
    try (JarFile jar = new JarFile(toFile(location))) {
      ZipEntry entry = jar.getEntry(pomProperties);
      if (entry == null) {
        return "unknown (no " + pomProperties + ")";
      }
      Properties p = new Properties();
      try (InputStream in = jar.getInputStream(entry)) {
        p.load(in);
      }
      return p.getProperty("version");
    }
  }

  private static java.io.File toFile(URL location) throws IOException {
    try {
      return new java.io.File(location.toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException("not a file URL: " + location, e);
    }
  }
}
