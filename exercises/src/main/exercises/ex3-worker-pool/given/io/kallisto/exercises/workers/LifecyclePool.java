package io.kallisto.exercises.workers;

/**
 * A fixed set of {@link LifecycleWorker}s named {@code worker-0}, {@code worker-1}, ..., with
 * requests dealt out round robin. Every method is safe from any thread, except that
 * {@link #stop()} throws on one of the pool's own worker threads.
 *
 * <pre>{@code
 * LifecyclePool pool = new RoundRobinPool(4, Dispatchers.best(), errors);
 * pool.start();                               // every worker is RUNNING
 * pool.dispatch(() -> handle(request));       // worker-0, worker-1, ... worker-3, worker-0 ...
 * RequestCounts total = pool.stop();          // every worker drained; their counts summed
 * }</pre>
 */
public interface LifecyclePool {
  /**
   * Starts every worker and returns when all of them are ready.
   *
   * @throws IllegalStateException if the pool was already started, or a worker did not become
   *     ready (its loop failed, or the calling thread was interrupted while it waited: then the
   *     message says so and the interrupt status is set again)
   */
  void start();

  /** The number of workers. */
  int size();

  /**
   * Worker {@code index}, named {@code worker-<index>}.
   *
   * @throws IndexOutOfBoundsException naming the index and the size
   */
  LifecycleWorker worker(int index);

  /**
   * Offers {@code request} to the next worker in round-robin order and returns its answer (see
   * {@link LifecycleWorker#offer}). Each call takes the next worker, accepted or not: {@code n}
   * calls give each of {@code size()} workers exactly {@code n / size()} offers when
   * {@code size()} divides {@code n}, however many threads make them.
   */
  boolean dispatch(Runnable request);

  /** The sum of every worker's {@link LifecycleWorker#counts()}. */
  RequestCounts counts();

  /**
   * Stops every worker (they drain at the same time, not one after the other) and returns the
   * sum of their {@link LifecycleWorker#stop()} counts. Idempotent.
   *
   * @throws IllegalStateException when called on one of the pool's worker threads
   */
  RequestCounts stop();
}
