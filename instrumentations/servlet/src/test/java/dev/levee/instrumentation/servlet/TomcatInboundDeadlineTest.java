package dev.levee.instrumentation.servlet;

/** The container scenarios on Embedded Tomcat 10.1 (jakarta.servlet). */
class TomcatInboundDeadlineTest extends ContainerScenarios {

  @Override
  ServletContainer start() throws Exception {
    return new TomcatContainer();
  }
}
