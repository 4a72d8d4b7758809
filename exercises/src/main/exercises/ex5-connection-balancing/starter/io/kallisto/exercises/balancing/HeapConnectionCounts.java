package io.kallisto.exercises.balancing;

/**
 * YOUR {@link ConnectionCounts}: an indexed binary min-heap of workers, keyed by (open
 * connections, worker index). {@link #pick()} reads the root in O(1); {@link #opened} and
 * {@link #closed} change one worker's count and move it down or up the heap in O(log n).
 *
 * <p>"Indexed": besides the heap of workers, keep where each worker sits in it, so that
 * {@code opened(w)} and {@code closed(w)} find {@code w} without a search. The worker index in the
 * key is the tie-break: of the workers with the fewest connections, the lowest index comes first.
 *
 * <p>Not thread-safe: owned by the acceptor's loop (see {@link ConnectionCounts}). No
 * {@code java.util} priority queue or sorted collection, no atomics, no locks.
 */
public final class HeapConnectionCounts implements ConnectionCounts {

  /**
   * Counts for {@code workers} workers, every count 0.
   *
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public HeapConnectionCounts(int workers) {
    throw new UnsupportedOperationException("TODO: HeapConnectionCounts(" + workers + "): the"
        + " heap of workers, each worker's slot in it, and each worker's count");
  }

  @Override
  public int workers() {
    throw new UnsupportedOperationException("TODO: workers: how many workers there are");
  }

  @Override
  public int pick() {
    throw new UnsupportedOperationException("TODO: pick: the worker at the root of the heap");
  }

  @Override
  public void opened(int worker) {
    throw new UnsupportedOperationException("TODO: opened: count it, then sift the worker down");
  }

  @Override
  public void closed(int worker) {
    throw new UnsupportedOperationException("TODO: closed: uncount it, then sift the worker up");
  }

  @Override
  public int count(int worker) {
    throw new UnsupportedOperationException("TODO: count: the worker's open connections");
  }
}
