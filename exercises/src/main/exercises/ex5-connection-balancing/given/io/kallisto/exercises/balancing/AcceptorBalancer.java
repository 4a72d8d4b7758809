package io.kallisto.exercises.balancing;

/**
 * The acceptor's half of least-connections balancing: it picks the worker for each connection
 * the acceptor accepts, and keeps the {@link ConnectionCounts}, which only the acceptor's loop
 * ever writes. Workers report each close; they never touch the counts themselves.
 *
 * <pre>{@code
 * // on the acceptor's loop, for each accepted socket:
 * int w = balancer.assign();
 * workers[w].dispatcher().post(() -> serve(w, socket));
 * // on worker w's loop, when one of its connections closes:
 * balancer.connectionClosed(w);
 * }</pre>
 *
 * <p><b>Do not change this interface</b>: the tests compile against it.
 */
public interface AcceptorBalancer {
  /**
   * The worker for a connection just accepted, already counted as open there: the next
   * {@code assign()} sees it. Acceptor's loop only.
   *
   * @throws IllegalStateException when called on any other thread while the acceptor's loop runs
   */
  int assign();

  /**
   * One connection that {@link #assign()} gave {@code worker} has closed: called once per such
   * connection, on {@code worker}'s loop (safe from any thread). Counted on the acceptor's loop,
   * soon after; never blocks. Once the acceptor's dispatcher is closed nothing is counted any
   * more, and the close is dropped without an exception.
   *
   * @throws IndexOutOfBoundsException if {@code worker} is not a worker
   */
  void connectionClosed(int worker);
}
