package example.servlet;

/** An interface of the app's own that extends the API's. */
public interface TracingHandler extends Handler {}
