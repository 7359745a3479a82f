package dev.levee.instrumentation.apache5;

/**
 * What one async attempt produced: the app's result (whatever its response consumer builds: a
 * {@code SimpleHttpResponse}, a {@code Message}, a type of its own) and the response head it was built
 * from, which is where the status and Retry-After are read.
 */
final class AsyncResult {

  final Object value;
  final Object head;

  AsyncResult(Object value, Object head) {
    this.value = value;
    this.head = head;
  }
}
