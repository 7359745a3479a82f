package dev.levee.instrumentation.servlet;

import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;

/** Undertow 2.3 ({@code jakarta.servlet} 6): requests reach the app through its servlet handler chain. */
final class UndertowContainer implements ServletContainer {

  private final DeploymentManager deployment;
  private final Undertow undertow;

  UndertowContainer() throws Exception {
    DeploymentInfo info = Servlets.deployment()
        .setClassLoader(UndertowContainer.class.getClassLoader())
        .setContextPath("/")
        .setDeploymentName("probe")
        .addFilter(Servlets.filter("probe", JakartaProbes.ProbeFilter.class,
                new ImmediateInstanceFactory<>(new JakartaProbes.ProbeFilter()))
            .setAsyncSupported(true))
        .addFilterUrlMapping("probe", "/app", DispatcherType.REQUEST);
    for (String name : new String[] {"app", "inner"}) {
      info.addServlet(Servlets.servlet(name, JakartaProbes.ProbeServlet.class,
              new ImmediateInstanceFactory<>(new JakartaProbes.ProbeServlet("/" + name)))
          .addMapping("/" + name)
          .setAsyncSupported(true));
    }
    deployment = Servlets.defaultContainer().addDeployment(info);
    deployment.deploy();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(deployment.start()).build();
    undertow.start();
  }

  @Override
  public int port() {
    return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  @Override
  public void close() throws Exception {
    undertow.stop();
    deployment.stop();
    deployment.undeploy();
  }

  @Override
  public String toString() {
    return "Undertow 2.3";
  }
}
