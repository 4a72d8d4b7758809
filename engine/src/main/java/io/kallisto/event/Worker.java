package io.kallisto.event;

/**
 * A named thread that owns one {@link Dispatcher} and runs it until stopped: Kallisto's version of
 * Envoy's {@code WorkerImpl} (source/server/worker_impl.cc), which stops without draining its
 * posts; see docs/envoy-fidelity.md.
 *
 * <p>{@link #post}, {@link #requestCount}, {@link #stop}, {@link #name} and {@link #awaitReady}
 * are safe from any thread. {@link #start} is called once, by the owner.
 *
 * <pre>{@code
 * Worker w = Worker.create("worker-0", Dispatchers.best());
 * w.start();
 * w.awaitReady();
 * w.post(() -> handle(request));   // counted as one request
 * w.stop();                        // runs what is already posted, then joins
 * }</pre>
 */
public interface Worker {
  /** The trace label of the post that tells a starting worker its loop runs. */
  String LOOP_STARTED = "loop started";

  /** The trace label of the post that makes a stopping worker's loop exit. */
  String LOOP_EXIT = "loop exit";

  /** Creates a stopped worker whose dispatcher comes from {@code factory}. */
  static Worker create(String name, DispatcherFactory factory) {
    Worker w = new ThreadedWorker(name, factory);
    LoopRegistry.workerCreated(w);
    return w;
  }

  /** The worker's name, which is also its thread's and its dispatcher's. */
  String name();

  /** Starts the thread. Returns at once; see {@link #awaitReady}. */
  void start();

  /** Waits until the loop is running: it has started running posted callbacks. */
  void awaitReady();

  /**
   * The worker's dispatcher. Loop-only methods on it must be called from the worker's thread,
   * for example from a posted callback.
   */
  Dispatcher dispatcher();

  /**
   * Posts {@code request} to the worker's loop and counts it. Safe from any thread.
   *
   * @throws IllegalStateException once the worker has stopped
   */
  void post(Runnable request);

  /** How many requests {@link #post} has accepted. Safe from any thread. */
  long requestCount();

  /**
   * Stops gracefully: runs everything already posted (and what those callbacks post in turn, up
   * to a bound), exits the loop, closes the dispatcher and joins the thread. Idempotent. Safe
   * from any thread except the worker's own.
   *
   * @throws IllegalStateException when called on the worker's own thread, where it would wait
   *     for itself
   */
  void stop();

  /**
   * Lowers the priority of the worker's thread to the least the system allows (nice 19 on Linux;
   * nothing where threads have no priority of their own), now or, if the thread has not started
   * yet, as it starts; so that every other thread gets a core first. For a run cut short whose
   * loops still have a backlog to work off (a melted-down timer storm) while the threads that
   * report it need to run. Cannot be undone. Safe from any thread. Default: nothing.
   */
  default void lowerPriority() {}
}
