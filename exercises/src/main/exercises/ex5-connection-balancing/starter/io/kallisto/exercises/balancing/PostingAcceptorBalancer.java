package io.kallisto.exercises.balancing;

import io.kallisto.event.Dispatcher;
import java.util.Objects;

/**
 * YOUR {@link AcceptorBalancer}, with single-writer counts: {@link #assign()} runs on the
 * acceptor's loop and counts the connection there, before it is handed to the worker; a worker
 * reports a close by <em>posting</em> it to the acceptor's loop. Every write to the counts then
 * happens on that one thread: no atomics, no locks.
 */
public final class PostingAcceptorBalancer implements AcceptorBalancer {
  private final Dispatcher acceptor;
  private final ConnectionCounts counts;

  /**
   * A balancer for connections accepted on {@code acceptor}'s loop, keeping {@code counts}
   * (which from now on only that loop may touch).
   */
  public PostingAcceptorBalancer(Dispatcher acceptor, ConnectionCounts counts) {
    this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
    this.counts = Objects.requireNonNull(counts, "counts");
  }

  @Override
  public int assign() {
    throw new UnsupportedOperationException("TODO: assign: on the acceptor's loop only; pick a"
        + " worker and count the connection on it");
  }

  @Override
  public void connectionClosed(int worker) {
    throw new UnsupportedOperationException("TODO: connectionClosed: get the close counted on"
        + " the acceptor's loop");
  }
}
