package dev.levee.instrumentation.servlet;

/**
 * A real container serving the probes in-process: the filter in front of {@code /app} (REQUEST
 * dispatches), a probe servlet at {@code /app} and another at {@code /inner}, both async-capable.
 */
interface ServletContainer extends AutoCloseable {

  /** The port it listens on, on 127.0.0.1. */
  int port();

  @Override
  void close() throws Exception;
}
