package io.kallisto.exercises.balancing;

/**
 * The state of a least-connections acceptor: how many connections each worker has open, and
 * which worker has the fewest. Workers are numbered {@code 0 .. workers() - 1} and start at 0.
 *
 * <p><b>Threads.</b> Not thread-safe, on purpose: one acceptor loop owns it and is its only
 * caller (a single writer needs no atomics and no locks). {@link #workers()} is immutable and
 * safe from any thread. Workers never call it; they report closes through
 * {@link AcceptorBalancer#connectionClosed}.
 *
 * <p><b>Do not change this interface</b>: the tests compile against it.
 *
 * <pre>{@code
 * ConnectionCounts counts = new HeapConnectionCounts(4);
 * int w = counts.pick();   // 0: every count is 0, and ties go to the lowest index
 * counts.opened(w);        // worker 0 has 1; the next pick() is 1
 * counts.closed(w);        // worker 0 has 0 again
 * }</pre>
 */
public interface ConnectionCounts {
  /** The number of workers, fixed at creation. Safe from any thread. */
  int workers();

  /**
   * The worker with the fewest open connections; of several with that count, the one with the
   * lowest index. Changes nothing: a pick is counted only by {@link #opened}.
   */
  int pick();

  /**
   * Counts one more open connection on {@code worker}.
   *
   * @throws IndexOutOfBoundsException if {@code worker} is not {@code 0 .. workers() - 1}
   */
  void opened(int worker);

  /**
   * Counts one connection of {@code worker} closed.
   *
   * @throws IllegalStateException if {@code worker} has no open connection counted (a close with
   *     no open: the count would go negative), changing nothing
   * @throws IndexOutOfBoundsException if {@code worker} is not {@code 0 .. workers() - 1}
   */
  void closed(int worker);

  /**
   * The open connections counted on {@code worker}.
   *
   * @throws IndexOutOfBoundsException if {@code worker} is not {@code 0 .. workers() - 1}
   */
  int count(int worker);
}
