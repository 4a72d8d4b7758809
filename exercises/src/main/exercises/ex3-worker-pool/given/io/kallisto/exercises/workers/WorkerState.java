package io.kallisto.exercises.workers;

/**
 * Where a {@link LifecycleWorker} is in its life. The states only move forward:
 *
 * <pre>
 *   NEW --start()--> STARTING --first posted callback runs--> RUNNING
 *    |                  |                                        |
 *    |                  +-------------stop() begins--------------+--> DRAINING --drained--> STOPPED
 *    +--stop() before start()-----------------------------------------------------------> STOPPED
 * </pre>
 *
 * <p>What each state means for {@link LifecycleWorker#offer}:
 * <ul>
 *   <li>{@link #NEW}: offering is a programming error ({@link IllegalStateException}).
 *   <li>{@link #STARTING} and {@link #RUNNING}: every offer is accepted.
 *   <li>{@link #DRAINING}: offers from other threads are rejected; a running request may still
 *       offer follow-ups to its own worker, up to {@link LifecycleWorker#DRAIN_FOLLOW_UP_LIMIT}.
 *   <li>{@link #STOPPED}: every offer is rejected.
 * </ul>
 *
 * <p>Given: do not change it.
 */
public enum WorkerState {
  /** Created; its thread has not been started. */
  NEW,
  /** {@code start()} was called; the loop has not yet run a posted callback. */
  STARTING,
  /** The loop runs posted callbacks: the worker serves requests. */
  RUNNING,
  /** {@code stop()} began: the worker runs what it accepted and accepts nothing new from others. */
  DRAINING,
  /** Every accepted request has run, the loop has exited and its dispatcher is closed. */
  STOPPED
}
