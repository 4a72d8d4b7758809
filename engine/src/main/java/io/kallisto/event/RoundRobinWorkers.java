package io.kallisto.event;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WorkerPool}'s fixed set of workers and its round-robin choice among them: the part of
 * a pool that does not depend on how its workers run, shared by the threaded pool and the
 * simulated one ({@code io.kallisto.sim.SimulatedWorkerPool}). A pool composes one and keeps
 * what differs, how workers are made and how they stop, to itself.
 *
 * <p><b>Ownership.</b> The pool that makes it owns it and the workers in it; the set never
 * changes after construction. Stopping the workers is the pool's job.
 *
 * <p><b>Threads.</b> {@link #size}, {@link #get}, {@link #all}, {@link #next} and
 * {@link #totalRequests} are safe from any thread: the set is final and the turn is an atomic
 * counter, so concurrent callers of {@code next()} share one round-robin order. {@link #startAll}
 * is called by the pool's owner, on a thread that may start and wait for the workers (for a
 * simulated pool, the simulation's thread outside its steps).
 *
 * <pre>{@code
 * RoundRobinWorkers<Worker> workers = new RoundRobinWorkers<>(List.of(w0, w1));
 * workers.startAll();                 // returns when every loop is running
 * workers.next().post(request);       // w0, w1, w0, ...
 * }</pre>
 *
 * @param <W> the pool's worker type
 */
public final class RoundRobinWorkers<W extends Worker> {
  private final List<W> workers;
  private final AtomicLong turn = new AtomicLong();

  /**
   * The workers a pool made, in index order.
   *
   * @throws IllegalArgumentException if there are none
   */
  public RoundRobinWorkers(List<W> workers) {
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("a worker pool needs 1 or more workers");
    }
    this.workers = List.copyOf(workers);
  }

  /** Starts every worker, then waits until each one's loop is running. */
  public void startAll() {
    for (W w : workers) {
      w.start();
    }
    for (W w : workers) {
      w.awaitReady();
    }
  }

  /** The number of workers. */
  public int size() {
    return workers.size();
  }

  /**
   * Worker {@code index}.
   *
   * @throws IndexOutOfBoundsException naming the index and the pool's size
   */
  public W get(int index) {
    if (index < 0 || index >= workers.size()) {
      throw new IndexOutOfBoundsException("worker index=" + index + ", pool size="
          + workers.size());
    }
    return workers.get(index);
  }

  /** Every worker, in index order; unmodifiable. */
  public List<W> all() {
    return workers;
  }

  /** The worker whose turn it is, moving the turn on to the next one. Allocates nothing. */
  public W next() {
    return workers.get((int) Long.remainderUnsigned(turn.getAndIncrement(), workers.size()));
  }

  /** The sum of every worker's {@link Worker#requestCount()}. */
  public long totalRequests() {
    long total = 0;
    for (int i = 0; i < workers.size(); i++) {
      total += workers.get(i).requestCount();
    }
    return total;
  }
}
