package io.kallisto.exercises.balancing;

import io.kallisto.event.Dispatcher;
import java.util.Objects;

/**
 * BUG (no-decrement): connectionClosed() does nothing (a misread single-writer rule), so a
 * worker's count never falls when its connections close.
 *
 * <p>{@link AcceptorBalancer} with single-writer counts: {@link #assign()} runs on the acceptor's
 * loop and counts the connection there, before it is handed over; a worker reports a close by
 * posting it to the acceptor's loop, so every write to the counts happens on that one thread, in
 * the order the acceptor's loop runs them, with no atomics and no locks.
 *
 * <p>Counting at hand-off, not when the worker has set the connection up, matters: the acceptor
 * accepts a burst of connections in one loop iteration, and each must see the ones before it.
 */
public final class PostingAcceptorBalancer implements AcceptorBalancer {
  private final Dispatcher acceptor;
  private final ConnectionCounts counts;
  private final int workers;

  /**
   * A balancer for connections accepted on {@code acceptor}'s loop, keeping {@code counts}
   * (which from now on only that loop may touch).
   */
  public PostingAcceptorBalancer(Dispatcher acceptor, ConnectionCounts counts) {
    this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
    this.counts = Objects.requireNonNull(counts, "counts");
    this.workers = counts.workers();
  }

  // AcceptorBalancer

  @Override
  public int assign() {
    if (!acceptor.isThreadSafe()) {
      throw new IllegalStateException("assign() must be called on the acceptor's loop '"
          + acceptor.name() + "', not on thread '" + Thread.currentThread().getName() + "'");
    }
    int worker = counts.pick();
    counts.opened(worker);
    return worker;
  }

  @Override
  public void connectionClosed(int worker) {
    if (worker < 0 || worker >= workers) {
      throw new IndexOutOfBoundsException("worker " + worker + "; there are workers 0 to "
          + (workers - 1));
    }
    // Only the acceptor's loop may write the counts, and this runs on a worker's loop: the
    // worker owns the connection now, so there is nothing for the acceptor to do.
  }
}
