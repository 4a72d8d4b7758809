package io.kallisto.exercises.slots;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A one-shot barrier of {@code parties} numbered parties (0 to {@code parties - 1}), each of which
 * arrives once: the arrival that completes it is told so, and only that one. This is how
 * {@link ThreadSlot#runOnAllThreads} knows which worker ran the callback last, and so which one
 * posts the completion to the main dispatcher.
 *
 * <p>Every method is safe from any thread and lock-free: no lock, no waiting for another thread.
 *
 * <pre>{@code
 * CompletionBarrier barrier = new CompletionBarrier(workers.size());
 * // on worker i, after it ran the callback:
 * if (barrier.arrive(i)) {
 *   main.post(completion);          // i was the last to arrive: exactly one worker gets here
 * }
 * }</pre>
 *
 * <p>The mechanism: one 64-bit word holds a bit per party (bits 0 to 62) and a cancelled bit
 * (bit 63). Arrival sets the party's bit with one atomic OR, so a party arriving twice is seen,
 * and the arrival that turns the word into "every party, not cancelled" is the one that
 * completes. A word that has completed never changes again, and a cancelled one never completes.
 */
public final class CompletionBarrier {
  /** The most parties one barrier holds: one bit each in a {@code long}, less the cancel bit. */
  public static final int MAX_PARTIES = 63;

  private static final long CANCELLED = 1L << 63;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(CompletionBarrier.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int parties;
  /** The state of a completed barrier: every party's bit, no cancelled bit. */
  private final long complete;
  /** Party bits, and {@link #CANCELLED}; only changed through {@link #STATE}. */
  @SuppressWarnings("unused")
  private volatile long state;

  /**
   * A barrier waiting for {@code parties} arrivals.
   *
   * @throws IllegalArgumentException unless {@code 1 <= parties <= }{@value #MAX_PARTIES}
   */
  public CompletionBarrier(int parties) {
    if (parties < 1 || parties > MAX_PARTIES) {
      throw new IllegalArgumentException("parties=" + parties + "; a barrier holds 1 to "
          + MAX_PARTIES + " parties");
    }
    this.parties = parties;
    this.complete = (1L << parties) - 1; // 1L: an int shift wraps past party 31
  }

  /** The number of parties. */
  public int parties() {
    return parties;
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
    long bit = bit(party);
    long before = (long) STATE.getAndBitwiseOr(this, bit);
    if ((before & bit) != 0) {
      throw new IllegalStateException("party " + party + " arrived twice at a barrier of "
          + parties + " parties; each party arrives once");
    }
    // Our bit is in: is everybody here now?
    return state == complete;
  }

  /**
   * Cancels the barrier unless it has completed: from then on it never completes, and arrivals
   * (still recorded, still checked) return false. Safe from any thread.
   *
   * @return true if this call cancelled it; false if it had completed (its completing arrival
   *     returned true) or was cancelled already
   */
  public boolean cancel() {
    while (true) {
      long s = state;
      if (s == complete || (s & CANCELLED) != 0) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s | CANCELLED)) {
        return true;
      }
    }
  }

  /** Whether every party has arrived and the barrier was not cancelled first. */
  public boolean isComplete() {
    return state == complete;
  }

  /** Whether {@link #cancel()} won: the barrier will never complete. */
  public boolean isCancelled() {
    return (state & CANCELLED) != 0;
  }

  /** Whether {@code party} has arrived. */
  public boolean hasArrived(int party) {
    return (state & bit(party)) != 0;
  }

  /** How many parties have arrived. */
  public int arrivedCount() {
    return Long.bitCount(state & ~CANCELLED);
  }

  private long bit(int party) {
    if (party < 0 || party >= parties) {
      throw new IllegalArgumentException("party=" + party + "; this barrier's parties are 0 to "
          + (parties - 1));
    }
    return 1L << party;
  }

  @Override
  public String toString() {
    long s = state;
    return "CompletionBarrier[" + Long.bitCount(s & ~CANCELLED) + " of " + parties + " arrived"
        + (s == complete ? ", complete" : "") + ((s & CANCELLED) != 0 ? ", cancelled" : "") + "]";
  }
}
