package example.servlet;

/** A framework's base class: implements the API through an interface of its own. */
public abstract class BaseHandler implements Runnable, TracingHandler {}
