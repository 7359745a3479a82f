package example.servlet;

/** Stands for a Servlet API interface: named by hooks as a string only, as Levee names {@code jakarta.servlet.Filter}. */
public interface Handler {
  void handle(Object request);
}
