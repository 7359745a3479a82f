package dev.levee.instrumentation.servlet;

/** The container scenarios on Undertow 2.3 (jakarta.servlet). */
class UndertowInboundDeadlineTest extends ContainerScenarios {

  @Override
  ServletContainer start() throws Exception {
    return new UndertowContainer();
  }
}
