package io.kallisto.event;

/** How long {@link Dispatcher#run(RunType)} keeps the loop running. */
public enum RunType {
  /**
   * Run until no work is pending: no posted callback, no enabled timer, no enabled file event and
   * no activated file event. Returns at once when there is nothing to do.
   */
  BLOCK,
  /** Run exactly one iteration with a zero poll timeout, then return. */
  NON_BLOCK,
  /** Run until {@link Dispatcher#exit()} is called. This is how a worker's loop runs. */
  RUN_UNTIL_EXIT
}
