package io.kallisto.exercises.workers;

import java.time.Duration;

/**
 * A worker with an observable life: one thread that runs one {@link io.kallisto.event.Dispatcher}
 * and serves requests on it, from {@code start()} to a {@code stop()} that drains and then says
 * what happened to every request it was offered. See {@link WorkerState} for the states.
 *
 * <p><b>Threads.</b> Every method is safe from any thread, except that {@link #stop()} throws on
 * the worker's own thread. Requests run on the worker's thread, one at a time, in the order each
 * offering thread offered them; the thread is named after the worker.
 *
 * <p><b>The promise about requests.</b> {@link #offer} answers at once, and its answer holds:
 * true means the request will run exactly once, even if a {@code stop()} races with the offer;
 * false means it never runs. Nothing is dropped silently and nothing is lost from the counts.
 *
 * <pre>{@code
 * LifecycleWorker w = new LoopWorker("worker-0", Dispatchers.best(), errors);
 * w.start();
 * w.awaitReady(Duration.ofSeconds(5));   // true: the loop runs posted callbacks
 * boolean accepted = w.offer(() -> handle(request));
 * RequestCounts done = w.stop();          // drains, then: accepted == completed + failed
 * }</pre>
 */
public interface LifecycleWorker {
  /**
   * How many follow-ups the requests running during a drain may still offer to their own worker,
   * in all: a request that re-offers itself forever must not keep {@code stop()} from returning.
   * Follow-ups past the limit are rejected (and counted).
   */
  int DRAIN_FOLLOW_UP_LIMIT = 10_000;

  /** The worker's name, which is also its thread's and its dispatcher's. */
  String name();

  /** The current state. Safe from any thread; it may change as soon as it is read. */
  WorkerState state();

  /**
   * Starts the worker's thread and returns at once, in state {@link WorkerState#STARTING} (or
   * already {@link WorkerState#RUNNING}). Requests may be offered from now on.
   *
   * @throws IllegalStateException unless the worker is {@link WorkerState#NEW}
   */
  void start();

  /**
   * Waits until the worker's loop is really running: it has run a callback posted to its
   * dispatcher (so a thread that has merely started, or a loop not yet in {@code run()}, is not
   * ready).
   *
   * @return true once ready; false if {@code timeout} passed first, or if the calling thread
   *     was interrupted while it waited (its interrupt status is then set again, for the caller)
   * @throws IllegalStateException if the worker was never started (also when it was stopped
   *     while NEW), or its loop failed before it became ready; then the loop's failure is the
   *     exception's cause
   */
  boolean awaitReady(Duration timeout);

  /**
   * Offers {@code request} to run on the worker's thread. Safe from any thread; never blocks for
   * long. Accepted in {@link WorkerState#STARTING} and {@link WorkerState#RUNNING}; rejected once
   * {@code stop()} has begun, except a follow-up that a request running during the drain offers
   * to its own worker (up to {@link #DRAIN_FOLLOW_UP_LIMIT}). Counted as accepted or rejected.
   * If the request throws, the {@link RequestErrorHandler} is told and the worker keeps serving.
   *
   * @return true if accepted: it will run exactly once; false if rejected: it never runs
   * @throws IllegalStateException if the worker is {@link WorkerState#NEW} (not started)
   */
  boolean offer(Runnable request);

  /**
   * The counts so far. Safe from any thread. Each count is exact; while the worker runs, the
   * four are read one after the other, not as one snapshot.
   */
  RequestCounts counts();

  /**
   * Stops gracefully and returns the counts at the moment the worker became
   * {@link WorkerState#STOPPED}: every request accepted so far runs, and so do the follow-ups
   * they offer; then the loop exits, the dispatcher is closed and the thread ends. Returns only
   * then, whichever thread calls and however many call at once. Idempotent: later calls return
   * the same counts. A worker stopped while {@link WorkerState#NEW} goes straight to
   * {@link WorkerState#STOPPED} with {@link RequestCounts#NONE}. An interrupt does not cut the
   * wait short: the caller still waits for the end, and finds its interrupt status set again
   * when this returns.
   *
   * <p>A request that calls {@code exit()} on its worker's dispatcher stops the worker as this
   * does: it drains (follow-ups included, up to the limit) and becomes STOPPED.
   *
   * @throws IllegalStateException when called on the worker's own thread, where it would wait
   *     for itself
   */
  RequestCounts stop();

  /** True when called on this worker's own thread (from a request). Safe from any thread. */
  boolean isWorkerThread();
}
