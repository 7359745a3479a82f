package dev.levee.instrumentation.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The advice for one class, named exactly: which methods get which advice class. */
public final class TypeAdvice {

  /** One method matcher and the advice class (its name) applied to what it matches. */
  public static final class MethodAdvice {
    public final ElementMatcher<? super MethodDescription> methods;
    public final String adviceClassName;

    MethodAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
      this.methods = methods;
      this.adviceClassName = adviceClassName;
    }
  }

  private final String typeName;
  private final List<MethodAdvice> advice = new ArrayList<>();

  private TypeAdvice(String typeName) {
    this.typeName = typeName;
  }

  /** @param typeName a binary class name, e.g. {@code jdk.internal.net.http.HttpClientImpl} */
  public static TypeAdvice forType(String typeName) {
    return new TypeAdvice(typeName);
  }

  public TypeAdvice advise(ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
    advice.add(new MethodAdvice(methods, adviceClass.getName()));
    return this;
  }

  public String typeName() {
    return typeName;
  }

  public List<MethodAdvice> advice() {
    return Collections.unmodifiableList(advice);
  }
}
