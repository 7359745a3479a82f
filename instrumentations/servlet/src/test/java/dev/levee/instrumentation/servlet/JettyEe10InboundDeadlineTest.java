package dev.levee.instrumentation.servlet;

/** The container scenarios on Jetty 12 ee10 (jakarta.servlet). */
class JettyEe10InboundDeadlineTest extends ContainerScenarios {

  @Override
  ServletContainer start() throws Exception {
    return new JettyEe10Container();
  }
}
