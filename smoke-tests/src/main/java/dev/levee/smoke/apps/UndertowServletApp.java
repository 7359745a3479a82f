package dev.levee.smoke.apps;

import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A web app on Undertow 2.3 ({@code jakarta.servlet}): {@link JakartaWebParts}' filter and servlet at
 * /call, one worker thread. {@code --backend URL}; prints "listening PORT pid PID", then serves until
 * killed.
 */
public final class UndertowServletApp {

  private UndertowServletApp() {}

  public static void main(String[] args) throws Exception {
    Logger.getLogger("").setLevel(Level.WARNING);
    DeploymentInfo info = Servlets.deployment()
        .setClassLoader(UndertowServletApp.class.getClassLoader())
        .setContextPath("/")
        .setDeploymentName("app")
        .addServlet(Servlets.servlet("call", JakartaWebParts.CallingServlet.class,
                new ImmediateInstanceFactory<>(new JakartaWebParts.CallingServlet(BackendCall.backendArgument(args))))
            .addMapping("/call"))
        .addFilter(Servlets.filter("marking", JakartaWebParts.MarkingFilter.class,
            new ImmediateInstanceFactory<>(new JakartaWebParts.MarkingFilter())))
        .addFilterUrlMapping("marking", "/*", DispatcherType.REQUEST);
    DeploymentManager deployment = Servlets.defaultContainer().addDeployment(info);
    deployment.deploy();
    Undertow undertow = Undertow.builder()
        .setIoThreads(1)
        .setWorkerThreads(1)
        .addHttpListener(0, "127.0.0.1")
        .setHandler(deployment.start())
        .build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    System.out.println("listening " + port + " pid " + ProcessHandle.current().pid());
    System.out.flush();
    Thread.currentThread().join();
  }
}
