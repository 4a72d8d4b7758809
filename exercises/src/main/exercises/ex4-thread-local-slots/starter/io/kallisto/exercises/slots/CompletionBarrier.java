package io.kallisto.exercises.slots;

/**
 * YOUR barrier: a one-shot barrier of {@code parties} numbered parties (0 to
 * {@code parties - 1}), each of which arrives once; the arrival that completes it is told so,
 * and only that one. {@link ThreadSlot#runOnAllThreads} uses it to find the worker that ran the
 * callback last, which then posts the completion to the main dispatcher.
 *
 * <p>Every method is safe from any thread and must be <b>lock-free</b>: no lock, no
 * {@code synchronized}, no waiting for another thread (the grader model-checks this).
 *
 * <pre>{@code
 * CompletionBarrier barrier = new CompletionBarrier(workers.size());
 * // on worker i, after it ran the callback:
 * if (barrier.arrive(i)) {
 *   main.post(completion);          // i was the last to arrive: exactly one worker gets here
 * }
 * }</pre>
 *
 * <p>The engine counts down a shared {@code AtomicInteger}; that is not the mechanism asked for
 * here. Record each party's arrival (so that a party arriving twice is caught instead of
 * completing the barrier early) and decide "last" from the same atomic step that records it.
 */
public final class CompletionBarrier {
  /** The most parties one barrier holds: one bit each in a {@code long}, less a cancel bit. */
  public static final int MAX_PARTIES = 63;

  /**
   * A barrier waiting for {@code parties} arrivals.
   *
   * @throws IllegalArgumentException unless {@code 1 <= parties <= }{@value #MAX_PARTIES}
   */
  public CompletionBarrier(int parties) {
    throw new UnsupportedOperationException("TODO: CompletionBarrier(parties): check the range,"
        + " set up the arrival state");
  }

  /** The number of parties. */
  public int parties() {
    throw new UnsupportedOperationException("TODO: parties()");
  }

  /**
   * Records that {@code party} has arrived. Safe from any thread.
   *
   * @return true for exactly one call: the arrival that made every party arrived, if the barrier
   *     was not cancelled; false for every other arrival
   * @throws IllegalArgumentException if {@code party} is not one of this barrier's parties
   * @throws IllegalStateException if {@code party} has arrived already (the barrier is unchanged)
   */
  public boolean arrive(int party) {
    throw new UnsupportedOperationException("TODO: arrive(party): record the arrival and tell"
        + " whether it was the last, in one atomic step");
  }

  /**
   * Cancels the barrier unless it has completed: from then on it never completes, and arrivals
   * (still recorded, still checked) return false. Safe from any thread.
   *
   * @return true if this call cancelled it; false if it had completed (its completing arrival
   *     returned true) or was cancelled already
   */
  public boolean cancel() {
    throw new UnsupportedOperationException("TODO: cancel(): exactly one of a cancel and the"
        + " last arrival wins");
  }

  /** Whether every party has arrived and the barrier was not cancelled first. */
  public boolean isComplete() {
    throw new UnsupportedOperationException("TODO: isComplete()");
  }

  /** Whether {@link #cancel()} won: the barrier will never complete. */
  public boolean isCancelled() {
    throw new UnsupportedOperationException("TODO: isCancelled()");
  }

  /**
   * Whether {@code party} has arrived.
   *
   * @throws IllegalArgumentException if {@code party} is not one of this barrier's parties
   */
  public boolean hasArrived(int party) {
    throw new UnsupportedOperationException("TODO: hasArrived(party)");
  }

  /** How many parties have arrived (cancelled or not). */
  public int arrivedCount() {
    throw new UnsupportedOperationException("TODO: arrivedCount()");
  }
}
