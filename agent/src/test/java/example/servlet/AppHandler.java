package example.servlet;

/** An app's class that implements the API only through its superclass. */
public class AppHandler extends BaseHandler {
  @Override
  public void handle(Object request) {}

  @Override
  public void run() {}
}
