package io.kallisto.event;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of a {@link WorkerPool} that does not depend on how its workers run: the fixed set of
 * workers, the round-robin choice among them, starting them all, finding one by index and adding
 * up their requests. The threaded pool ({@link WorkerPool#create}) and the simulated one
 * ({@code io.kallisto.sim.SimulatedWorkerPool}) extend it and supply only what differs: how their
 * workers are made, which they hand to this constructor, and how they {@link #stop()}. Nothing
 * here calls down into a subclass. Netty's loop groups have the same shape: the abstract
 * {@code MultithreadEventExecutorGroup} holds the loops and picks the next one round robin
 * (common/src/main/java/io/netty/util/concurrent/MultithreadEventExecutorGroup.java).
 *
 * <p><b>Ownership.</b> The pool owns its workers; the set never changes after construction.
 * Whoever made the pool starts it once and stops it once.
 *
 * <p><b>Threads.</b> {@link #size}, {@link #worker}, {@link #dispatch} and {@link #totalRequests}
 * are safe from any thread: the set is final and the turn is one atomic counter, so concurrent
 * dispatchers share one round-robin order. {@link #start} runs on a thread that may start the
 * workers and wait for them; a subclass may narrow that (a simulated pool: the simulation's
 * thread, outside its steps), and says so, as it does for {@link #stop}.
 *
 * @param <W> the pool's worker type
 */
public abstract class RoundRobinWorkerPool<W extends Worker> implements WorkerPool {
  private final List<W> workers;
  private final AtomicLong turn = new AtomicLong();

  /**
   * A pool of the workers a subclass made, in index order; it owns them from now on.
   *
   * @throws IllegalArgumentException if there are none
   */
  protected RoundRobinWorkerPool(List<W> workers) {
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("a worker pool needs 1 or more workers");
    }
    this.workers = List.copyOf(workers);
  }

  // WorkerPool

  @Override
  public final void start() {
    for (W w : workers) {
      w.start();
    }
    for (W w : workers) {
      w.awaitReady();
    }
  }

  @Override
  public final int size() {
    return workers.size();
  }

  @Override
  public final Worker worker(int index) {
    return member(index);
  }

  @Override
  public final void dispatch(Runnable request) {
    workers.get((int) Long.remainderUnsigned(turn.getAndIncrement(), workers.size()))
        .post(request);
  }

  @Override
  public final long totalRequests() {
    long total = 0;
    for (int i = 0; i < workers.size(); i++) {
      total += workers.get(i).requestCount();
    }
    return total;
  }

  // For subclasses

  /**
   * Worker {@code index}, as the subclass's type.
   *
   * @throws IndexOutOfBoundsException naming the index and the pool's size
   */
  protected final W member(int index) {
    if (index < 0 || index >= workers.size()) {
      throw new IndexOutOfBoundsException("worker index=" + index + ", pool size="
          + workers.size());
    }
    return workers.get(index);
  }

  /** Every worker, in index order; unmodifiable. */
  protected final List<W> members() {
    return workers;
  }
}
