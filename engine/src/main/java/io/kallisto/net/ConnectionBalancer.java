package io.kallisto.net;

import java.util.SplittableRandom;

/**
 * Picks the worker that a single acceptor hands a new connection to. Called on the acceptor's
 * loop thread only, so implementations keep plain state.
 *
 * <pre>{@code
 * Server s = Server.singleAcceptor(pool, ConnectionBalancer.leastConnections(), handlers);
 * }</pre>
 */
public interface ConnectionBalancer {
  /** The index of the worker for the next connection, given each worker's counters. */
  int pick(WorkerCounters[] workers);

  /** Each worker in turn. */
  static ConnectionBalancer roundRobin() {
    int[] next = new int[1];
    return workers -> {
      int i = next[0];
      next[0] = (i + 1) % workers.length;
      return i;
    };
  }

  /**
   * The worker with the fewest open connections, the lowest index on a tie: the rule of Envoy's
   * {@code exact_balance} ({@code ExactConnectionBalancerImpl::pickTargetHandler}), but in a
   * different design: Envoy has no acceptor thread; the worker that accepted picks under a lock
   * and posts the socket on (docs/envoy-fidelity.md). Counts are raised at hand-off, so a burst of
   * accepts is spread before any worker has set its connections up.
   */
  static ConnectionBalancer leastConnections() {
    return workers -> {
      int best = 0;
      for (int i = 1; i < workers.length; i++) {
        if (workers[i].activeConnections() < workers[best].activeConnections()) {
          best = i;
        }
      }
      return best;
    };
  }

  /**
   * Of two distinct workers drawn at random, the one with fewer open connections: "the power of
   * two choices", nearly as even as least connections while looking at only two counts.
   */
  static ConnectionBalancer randomOfTwo(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return workers -> {
      int n = workers.length;
      if (n == 1) {
        return 0;
      }
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
      if (b >= a) {
        b++; // distinct from a, uniformly
      }
      return workers[b].activeConnections() < workers[a].activeConnections() ? b : a;
    };
  }
}
