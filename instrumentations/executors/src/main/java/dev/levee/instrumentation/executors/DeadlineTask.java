package dev.levee.instrumentation.executors;

/**
 * A task or function Levee wrapped where the application handed it to another thread, so that it runs
 * with the deadline of the thread that handed it over.
 */
interface DeadlineTask {

  /** What the application handed over. */
  Object wrapped();
}
