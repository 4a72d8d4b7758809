package io.kallisto.event;

/**
 * A fixed set of {@link Worker}s, one event loop each, as Envoy runs one worker per hardware
 * thread by default ({@code --concurrency} defaults to {@code std::thread::hardware_concurrency()},
 * {@code OptionsImpl::OptionsImpl}, source/server/options_impl.cc). Every method is safe from any
 * thread.
 *
 * <pre>{@code
 * WorkerPool pool = WorkerPool.create(0);  // one worker per available core
 * pool.start();                            // returns when every loop is running
 * pool.dispatch(() -> handle(request));    // round robin, counted per worker
 * pool.stop();                             // drains every worker, then joins them
 * }</pre>
 */
public interface WorkerPool {
  /**
   * A pool of {@code n} workers on the best backend; {@code n <= 0} means one per available
   * core.
   */
  static WorkerPool create(int n) {
    return create(n, Dispatchers.best());
  }

  /**
   * A pool of {@code n} workers whose dispatchers come from {@code factory}; {@code n <= 0}
   * means one per available core.
   */
  static WorkerPool create(int n, DispatcherFactory factory) {
    WorkerPool p = new ThreadedWorkerPool(n <= 0 ? Runtime.getRuntime().availableProcessors() : n,
        factory);
    LoopRegistry.poolCreated(p);
    return p;
  }

  /** Starts every worker and returns only when all are ready. */
  void start();

  /** The number of workers. */
  int size();

  /** Worker {@code index}, named {@code worker-<index>}. */
  Worker worker(int index);

  /** Posts {@code request} to the next worker in round-robin order, counting it there. */
  void dispatch(Runnable request);

  /** The sum of every worker's {@link Worker#requestCount()}. */
  long totalRequests();

  /** Stops every worker gracefully (each drains what was posted), then joins them. */
  void stop();
}
