package io.kallisto.exercises.balancing;

import io.kallisto.net.ConnectionBalancer;
import io.kallisto.net.WorkerCounters;

/**
 * BUG (engine-counters): the engine's WorkerCounters and ConnectionBalancer, which rules.txt
 * forbids (atomics written from several threads, and a scan per pick).
 *
 * <p>{@link ConnectionCounts} on the engine's own counters and least-connections balancer.
 */
public final class HeapConnectionCounts implements ConnectionCounts {
  private final WorkerCounters[] counters;
  private final ConnectionBalancer balancer = ConnectionBalancer.leastConnections();

  /** Counts for {@code workers} workers, every count 0. */
  public HeapConnectionCounts(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers=" + workers + "; use 1 or more");
    }
    counters = new WorkerCounters[workers];
    for (int w = 0; w < workers; w++) {
      counters[w] = new WorkerCounters("worker-" + w);
    }
  }

  @Override
  public int workers() {
    return counters.length;
  }

  @Override
  public int pick() {
    return balancer.pick(counters);
  }

  @Override
  public void opened(int worker) {
    check(worker);
    counters[worker].connectionAssigned();
  }

  @Override
  public void closed(int worker) {
    check(worker);
    if (counters[worker].activeConnections() == 0) {
      throw new IllegalStateException("closed(" + worker + "): no open connection counted");
    }
    counters[worker].connectionClosed();
  }

  @Override
  public int count(int worker) {
    check(worker);
    return counters[worker].activeConnections();
  }

  private void check(int worker) {
    if (worker < 0 || worker >= counters.length) {
      throw new IndexOutOfBoundsException("worker " + worker + "; there are workers 0 to "
          + (counters.length - 1));
    }
  }
}
