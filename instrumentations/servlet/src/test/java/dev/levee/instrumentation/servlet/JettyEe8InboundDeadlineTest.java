package dev.levee.instrumentation.servlet;

/** The container scenarios on Jetty 12 ee8 (javax.servlet). */
class JettyEe8InboundDeadlineTest extends ContainerScenarios {

  @Override
  ServletContainer start() throws Exception {
    return new JettyEe8Container();
  }
}
